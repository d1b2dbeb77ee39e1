-- Reward tokens: held or issued, then approved (and so issued) or rejected,
-- then redeemed, voided or expired. An approval also says reward.issued, so
-- that a receiver that fulfils on reward.issued needs no other type.
-- Once a statement, from its transition tables: a tenant without an enabled
-- endpoint (most) pays one probe a statement, where a row trigger paid a
-- call and a probe for each token, two a completion (about 4% of its CPU).
-- The tokens are read into arrays first, one tenant at a time: on Citus a
-- trigger on a shard may run only statements that route to one shard
-- (events_record_names does the same). An insert's are told in the order
-- it wrote them, an update's in the order of their ids (old and new paired).
CREATE OR REPLACE FUNCTION reward_tokens_webhooks() RETURNS trigger
LANGUAGE plpgsql SET search_path = public, pg_temp
AS $$
DECLARE
  current_tenant uuid;
  ids text[];
  statuses text[];
  old_statuses text[];
BEGIN
  FOR current_tenant IN SELECT DISTINCT n.tenant_id FROM new_reward_tokens n LOOP
    CONTINUE WHEN NOT EXISTS (SELECT 1 FROM webhook_endpoints e WHERE e.tenant_id = current_tenant AND e.status = 'enabled');
    IF TG_OP = 'INSERT' THEN
      SELECT array_agg(n.id), array_agg(n.status) INTO ids, statuses
        FROM new_reward_tokens n WHERE n.tenant_id = current_tenant;
      old_statuses := array_fill(NULL::text, ARRAY[cardinality(ids)]);
    ELSE
      SELECT array_agg(n.id ORDER BY n.id), array_agg(n.status ORDER BY n.id) INTO ids, statuses
        FROM new_reward_tokens n WHERE n.tenant_id = current_tenant;
      old_statuses := ARRAY(SELECT o.status FROM old_reward_tokens o WHERE o.tenant_id = current_tenant ORDER BY o.id);
    END IF;
    FOR i IN 1 .. cardinality(ids) LOOP
      CONTINUE WHEN statuses[i] IS NOT DISTINCT FROM old_statuses[i];
      IF old_statuses[i] = 'held' THEN
        IF statuses[i] = 'voided' THEN
          PERFORM webhook_record(current_tenant, 'reward.rejected', ids[i], '{}');
          CONTINUE;
        END IF;
        PERFORM webhook_record(current_tenant, 'reward.approved', ids[i], '{}');
      END IF;
      PERFORM webhook_record(current_tenant, 'reward.' || statuses[i], ids[i], '{}');
    END LOOP;
  END LOOP;
  RETURN NULL;
END
$$;
