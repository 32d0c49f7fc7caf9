CREATE TYPE "public"."mood" AS ENUM('sad', 'ok', 'happy');--> statement-breakpoint
CREATE TABLE "people" (
	"id" serial PRIMARY KEY NOT NULL,
	"name" text,
	"mood" "mood" DEFAULT 'ok' NOT NULL,
	"other" "mood"
);
