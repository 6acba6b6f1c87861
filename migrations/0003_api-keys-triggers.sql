-- API keys are never deleted and change only by being revoked, once; every creation and
-- revocation is recorded in api_key_events by the database itself, and that log is append-only.
CREATE TRIGGER `api_keys_no_delete` BEFORE DELETE ON `api_keys`
BEGIN SELECT RAISE(ABORT, 'api keys are never deleted; revoke them'); END;
--> statement-breakpoint
CREATE TRIGGER `api_keys_revoke_only` BEFORE UPDATE ON `api_keys`
WHEN OLD.`revoked_at` IS NOT NULL OR NEW.`revoked_at` IS NULL
  OR NEW.`id` IS NOT OLD.`id` OR NEW.`role` IS NOT OLD.`role` OR NEW.`models` IS NOT OLD.`models`
  OR NEW.`salt` IS NOT OLD.`salt` OR NEW.`hash` IS NOT OLD.`hash` OR NEW.`note` IS NOT OLD.`note`
  OR NEW.`created_at` IS NOT OLD.`created_at` OR NEW.`created_by` IS NOT OLD.`created_by`
BEGIN SELECT RAISE(ABORT, 'api keys can only be revoked, once'); END;
--> statement-breakpoint
CREATE TRIGGER `api_keys_log_created` AFTER INSERT ON `api_keys`
BEGIN
  INSERT INTO `api_key_events` (`key_id`, `kind`, `role`, `models`, `actor`, `at`)
  VALUES (NEW.`id`, 'created', NEW.`role`, NEW.`models`, NEW.`created_by`, NEW.`created_at`);
END;
--> statement-breakpoint
CREATE TRIGGER `api_keys_log_revoked` AFTER UPDATE OF `revoked_at` ON `api_keys`
BEGIN
  INSERT INTO `api_key_events` (`key_id`, `kind`, `role`, `models`, `actor`, `at`)
  VALUES (NEW.`id`, 'revoked', NEW.`role`, NEW.`models`, NEW.`revoked_by`, NEW.`revoked_at`);
END;
--> statement-breakpoint
CREATE TRIGGER `api_key_events_no_update` BEFORE UPDATE ON `api_key_events`
BEGIN SELECT RAISE(ABORT, 'api key events are append-only'); END;
--> statement-breakpoint
CREATE TRIGGER `api_key_events_no_delete` BEFORE DELETE ON `api_key_events`
BEGIN SELECT RAISE(ABORT, 'api key events are append-only'); END;
