CREATE TABLE "notes" (
	"id" serial PRIMARY KEY,
	"body" text,
	"weight" integer
);
--> statement-breakpoint
CREATE TABLE "things" (
	"id" serial PRIMARY KEY,
	"owner_id" text NOT NULL,
	"label" text CONSTRAINT "label_key" UNIQUE
);
--> statement-breakpoint
CREATE INDEX "owner_idx" ON "things" ("owner_id");