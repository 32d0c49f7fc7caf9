CREATE TABLE "notes" (
	"id" serial PRIMARY KEY NOT NULL,
	"body" text,
	"weight" integer
);
--> statement-breakpoint
CREATE TABLE "things" (
	"id" serial PRIMARY KEY NOT NULL,
	"owner_id" text NOT NULL,
	"label" text,
	CONSTRAINT "label_key" UNIQUE("label")
);
--> statement-breakpoint
CREATE INDEX "owner_idx" ON "things" USING btree ("owner_id");