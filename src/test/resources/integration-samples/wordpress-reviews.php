<?php
// WordPress: reward approved reviews. In your theme's functions.php or a small plugin,
// with RESONANCE_URL, RESONANCE_BRAND_ID and RESONANCE_SECRET_KEY defined in wp-config.php.
add_action('comment_post', function ($comment_ID, $approved) {
    if ($approved !== 1) return;
    $comment = get_comment($comment_ID);
    $body = json_encode([
        'event' => 'post_review',
        'email' => $comment->comment_author_email,
        'metadata' => [
            'platform' => 'wordpress',
            'post_id' => $comment->comment_post_ID,
            'comment_id' => $comment_ID,
        ],
    ]);
    wp_remote_post(RESONANCE_URL . '/resonance-api/manual-event', [
        'body' => $body,
        'headers' => [
            'Content-Type' => 'application/json',
            'X-Brand-Id' => RESONANCE_BRAND_ID,
            'X-Resonance-Signature' => hash_hmac('sha256', $body, RESONANCE_SECRET_KEY),
        ],
    ]);
}, 10, 2);
