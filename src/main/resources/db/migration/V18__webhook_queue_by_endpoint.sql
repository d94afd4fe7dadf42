-- The claim walks the endpoints that have queued deliveries, brand by brand, and takes each
-- one's oldest due deliveries, so that one brand's backlog, however long, cannot hide the
-- other brands' deliveries (the due-time index alone shows only the oldest due rows, all of
-- them one brand's when that brand has a backlog). Deleting an endpoint's queue uses it too.
create index webhook_queue_endpoint_due on webhook_queue (brand_id, endpoint_id, due_at);
