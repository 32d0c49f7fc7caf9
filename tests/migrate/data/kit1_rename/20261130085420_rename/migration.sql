ALTER TABLE "things" RENAME TO "items";--> statement-breakpoint
ALTER TABLE "items" RENAME COLUMN "owner_id" TO "user_id";--> statement-breakpoint
ALTER TABLE "items" RENAME COLUMN "label" TO "title";--> statement-breakpoint
ALTER TABLE "notes" RENAME COLUMN "body" TO "content";--> statement-breakpoint
ALTER TABLE "items" ADD COLUMN "extra" integer;--> statement-breakpoint
ALTER TABLE "notes" ALTER COLUMN "weight" SET DEFAULT 0;--> statement-breakpoint
CREATE INDEX "weight_idx" ON "notes" ("weight");