CREATE TABLE `events` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`model_id` integer NOT NULL,
	`kind` text NOT NULL,
	`features` text,
	`label` text,
	`prediction_id` text,
	`served` text,
	`key` text,
	`reason` text,
	`target_version` integer,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`model_id`) REFERENCES `models`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `events_model_key` ON `events` (`model_id`,`key`);--> statement-breakpoint
CREATE UNIQUE INDEX `events_prediction` ON `events` (`prediction_id`);--> statement-breakpoint
CREATE INDEX `events_model` ON `events` (`model_id`,`id`);--> statement-breakpoint
CREATE TABLE `leases` (
	`name` text PRIMARY KEY NOT NULL,
	`holder` text NOT NULL,
	`expires_at` integer NOT NULL,
	`acquired_at` integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE `model_versions` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`model_id` integer NOT NULL,
	`number` integer NOT NULL,
	`parent` integer,
	`reason` text NOT NULL,
	`rollback_of` integer,
	`created_at` integer NOT NULL,
	`samples_learned` integer NOT NULL,
	`last_event_id` integer NOT NULL,
	`state` text NOT NULL,
	`sha256` text NOT NULL,
	`metrics` text NOT NULL,
	FOREIGN KEY (`model_id`) REFERENCES `models`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `model_versions_number` ON `model_versions` (`model_id`,`number`);--> statement-breakpoint
CREATE TABLE `models` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`name` text NOT NULL,
	`spec` text NOT NULL,
	`task` text NOT NULL,
	`metrics` text NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `models_name_unique` ON `models` (`name`);--> statement-breakpoint
CREATE TABLE `predictions` (
	`id` text PRIMARY KEY NOT NULL,
	`model_id` integer NOT NULL,
	`version` integer NOT NULL,
	`features` text NOT NULL,
	`output` text NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `predictions_created` ON `predictions` (`created_at`);