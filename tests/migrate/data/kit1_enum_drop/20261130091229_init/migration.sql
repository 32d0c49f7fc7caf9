CREATE TYPE "mood" AS ENUM('sad', 'ok', 'happy');--> statement-breakpoint
CREATE TABLE "people" (
	"id" serial PRIMARY KEY,
	"name" text,
	"mood" "mood" DEFAULT 'ok'::"mood" NOT NULL,
	"other" "mood"
);
