/**
 * Shopify, native: a brand's Shopify settings ({@code /v1/integrations/shopify}) and the
 * receiver Shopify's own order webhooks are sent to ({@code POST
 * /v1/integrations/shopify/{brand_id}}), verified by {@code X-Shopify-Hmac-Sha256}. Paid
 * (or created) orders become events of the brand's configured type for the customer's
 * email, through the same pipeline and rules as every event; refunds reverse the order's
 * reward in proportion.
 */
@NullMarked
package bot.resonance.integrations.shopify;

import org.jspecify.annotations.NullMarked;
