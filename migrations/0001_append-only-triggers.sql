-- Events and versions are append-only in the database itself, whatever the application does.
CREATE TRIGGER `events_no_update` BEFORE UPDATE ON `events`
BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;
--> statement-breakpoint
CREATE TRIGGER `events_no_delete` BEFORE DELETE ON `events`
BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;
--> statement-breakpoint
CREATE TRIGGER `model_versions_no_update` BEFORE UPDATE ON `model_versions`
BEGIN SELECT RAISE(ABORT, 'model versions are append-only'); END;
--> statement-breakpoint
CREATE TRIGGER `model_versions_no_delete` BEFORE DELETE ON `model_versions`
BEGIN SELECT RAISE(ABORT, 'model versions are append-only'); END;
