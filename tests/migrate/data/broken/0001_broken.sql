CREATE TABLE "half_table" (
	"id" serial PRIMARY KEY NOT NULL
);
--> statement-breakpoint
INSERT INTO "half_table" ("id") VALUES (1);--> statement-breakpoint
ALTER TABLE "no_such_table" ADD COLUMN "x" text;