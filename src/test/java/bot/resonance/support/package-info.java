/** Test support: a movable clock and an HTTP client that signs like integrators do. */
package bot.resonance.support;
