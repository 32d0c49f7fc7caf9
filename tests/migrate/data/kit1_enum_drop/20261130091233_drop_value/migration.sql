ALTER TABLE "people" ALTER COLUMN "mood" SET DATA TYPE text;--> statement-breakpoint
ALTER TABLE "people" ALTER COLUMN "mood" DROP DEFAULT;--> statement-breakpoint
ALTER TABLE "people" ALTER COLUMN "other" SET DATA TYPE text;--> statement-breakpoint
DROP TYPE "mood";--> statement-breakpoint
CREATE TYPE "mood" AS ENUM('sad', 'ok');--> statement-breakpoint
ALTER TABLE "people" ALTER COLUMN "mood" SET DATA TYPE "mood" USING "mood"::"mood";--> statement-breakpoint
ALTER TABLE "people" ALTER COLUMN "mood" SET DEFAULT 'ok'::"mood";--> statement-breakpoint
ALTER TABLE "people" ALTER COLUMN "other" SET DATA TYPE "mood" USING "other"::"mood";