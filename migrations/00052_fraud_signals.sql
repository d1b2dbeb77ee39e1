-- Risk signals, recorded on the invitation at claim (models/fraud_*.go):
-- what they are judged from. Only what a signal compares is kept, and no
-- more of it than the comparison needs.

-- +goose Up
-- The tenant's blocklist: e-mail patterns ("*@example.com", "bob+*@shop.test"),
-- domains ("example.com", "*.example.com") and IP addresses or ranges
-- ("203.0.113.0/24"); a * matches any run of characters. A claim whose guest
-- matches an entry carries the high signal blocklisted. The API validates
-- and normalises entries (lower case, ranges in canonical form).
CREATE TABLE fraud_blocklist (
  tenant_id  uuid NOT NULL DEFAULT app_tenant_id(),
  entry      text NOT NULL CHECK (length(entry) BETWEEN 1 AND 254 AND entry = lower(entry)),
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, entry)
);
SELECT enable_tenant_rls('fraud_blocklist');
GRANT SELECT, INSERT, DELETE ON fraud_blocklist TO tandem_app;

-- Where a participant was seen from, as keyed hashes only: same_client asks
-- nothing but equality, so neither the address nor the user agent is
-- stored. A hash is "ip:" or "ua:" and the first 16 bytes of HMAC-SHA256
-- under the tenant's fraud key, in hex. seen_at: the last time; hashes
-- older than the window same_client looks at are deleted when the
-- participant is seen again.
CREATE TABLE participant_clients (
  tenant_id      uuid NOT NULL DEFAULT app_tenant_id(),
  participant_id text NOT NULL,
  client_hash    text NOT NULL CHECK (client_hash ~ '^(ip|ua):[0-9a-f]{32}$'),
  seen_at        timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, participant_id, client_hash),
  FOREIGN KEY (tenant_id, participant_id) REFERENCES participants (tenant_id, id)
);
SELECT enable_tenant_rls('participant_clients');
GRANT SELECT, INSERT, DELETE, UPDATE (seen_at) ON participant_clients TO tandem_app;

-- The tenant's key for those hashes: 32 random bytes, made on first use
-- and never changed (a new key would make every stored hash unmatchable).
CREATE TABLE fraud_keys (
  tenant_id uuid NOT NULL DEFAULT app_tenant_id(),
  hash_key  bytea NOT NULL CHECK (length(hash_key) = 32),
  PRIMARY KEY (tenant_id)
);
SELECT enable_tenant_rls('fraud_keys');
GRANT SELECT, INSERT ON fraud_keys TO tandem_app;

-- The tenant says a participant is already its customer (POST
-- /v1/participants): a referral of them carries existing_customer.
ALTER TABLE participants ADD COLUMN existing_customer boolean NOT NULL DEFAULT false;
GRANT UPDATE (existing_customer) ON participants TO tandem_app;

-- Disposable e-mail domains, for disposable_email: the list shipped here
-- (embedded in the binary with this migration); an operator adds a domain
-- without a release by inserting it as the schema's owner
-- (INSERT INTO disposable_email_domains VALUES ('…') ON CONFLICT DO NOTHING),
-- and a later migration may ship more. Global, not a tenant's.
CREATE TABLE disposable_email_domains (
  domain text PRIMARY KEY CHECK (domain = lower(domain) AND domain ~ '^[a-z0-9.-]+\.[a-z]{2,}$')
);
GRANT SELECT ON disposable_email_domains TO tandem_app;
INSERT INTO disposable_email_domains (domain) VALUES
  ('10minutemail.com'), ('20minutemail.com'), ('33mail.com'), ('dispostable.com'), ('dropmail.me'),
  ('emailondeck.com'), ('fakeinbox.com'), ('getairmail.com'), ('getnada.com'), ('guerrillamail.biz'),
  ('guerrillamail.com'), ('guerrillamail.de'), ('guerrillamail.net'), ('guerrillamail.org'), ('guerrillamailblock.com'),
  ('harakirimail.com'), ('inboxkitten.com'), ('mail.tm'), ('maildrop.cc'), ('mailinator.com'), ('mailinator.net'),
  ('mailnesia.com'), ('mintemail.com'), ('mohmal.com'), ('moakt.com'), ('mytemp.email'), ('sharklasers.com'),
  ('spamgourmet.com'), ('temp-mail.io'), ('temp-mail.org'), ('tempail.com'), ('tempmail.com'), ('tempmail.dev'),
  ('tempmailo.com'), ('tempr.email'), ('throwawaymail.com'), ('trashmail.com'), ('trashmail.de'), ('yopmail.com'),
  ('yopmail.fr'), ('yopmail.net');
