DROP INDEX `events_model_key`;--> statement-breakpoint
DROP INDEX `events_prediction`;--> statement-breakpoint
CREATE UNIQUE INDEX `events_model_key` ON `events` (`model_id`,`key`) WHERE "events"."key" IS NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX `events_prediction` ON `events` (`prediction_id`) WHERE "events"."prediction_id" IS NOT NULL;