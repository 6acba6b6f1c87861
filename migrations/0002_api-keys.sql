CREATE TABLE `api_key_events` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`key_id` text NOT NULL,
	`kind` text NOT NULL,
	`role` text NOT NULL,
	`models` text,
	`actor` text,
	`at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `api_key_events_key` ON `api_key_events` (`key_id`,`id`);--> statement-breakpoint
CREATE TABLE `api_keys` (
	`id` text PRIMARY KEY NOT NULL,
	`role` text NOT NULL,
	`models` text,
	`salt` text NOT NULL,
	`hash` text NOT NULL,
	`note` text,
	`created_at` integer NOT NULL,
	`created_by` text,
	`revoked_at` integer,
	`revoked_by` text
);
