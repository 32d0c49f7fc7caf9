ALTER TABLE "things" RENAME TO "items";--> statement-breakpoint
ALTER TABLE "notes" RENAME COLUMN "body" TO "content";--> statement-breakpoint
ALTER TABLE "items" RENAME COLUMN "owner_id" TO "user_id";--> statement-breakpoint
ALTER TABLE "items" RENAME COLUMN "label" TO "title";--> statement-breakpoint
ALTER TABLE "items" DROP CONSTRAINT "label_key";--> statement-breakpoint
DROP INDEX "owner_idx";--> statement-breakpoint
ALTER TABLE "notes" ALTER COLUMN "weight" SET DEFAULT 0;--> statement-breakpoint
ALTER TABLE "items" ADD COLUMN "extra" integer;--> statement-breakpoint
CREATE INDEX "weight_idx" ON "notes" USING btree ("weight");--> statement-breakpoint
CREATE INDEX "owner_idx" ON "items" USING btree ("user_id");--> statement-breakpoint
ALTER TABLE "items" ADD CONSTRAINT "label_key" UNIQUE("title");