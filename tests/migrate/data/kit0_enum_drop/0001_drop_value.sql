ALTER TABLE "people" ALTER COLUMN "mood" SET DATA TYPE text;--> statement-breakpoint
ALTER TABLE "people" ALTER COLUMN "mood" SET DEFAULT 'ok'::text;--> statement-breakpoint
ALTER TABLE "people" ALTER COLUMN "other" SET DATA TYPE text;--> statement-breakpoint
DROP TYPE "public"."mood";--> statement-breakpoint
CREATE TYPE "public"."mood" AS ENUM('sad', 'ok');--> statement-breakpoint
ALTER TABLE "people" ALTER COLUMN "mood" SET DEFAULT 'ok'::"public"."mood";--> statement-breakpoint
ALTER TABLE "people" ALTER COLUMN "mood" SET DATA TYPE "public"."mood" USING "mood"::"public"."mood";--> statement-breakpoint
ALTER TABLE "people" ALTER COLUMN "other" SET DATA TYPE "public"."mood" USING "other"::"public"."mood";