CREATE TABLE "kids" (
	"parent_id" integer,
	"nick" text,
	"age" integer,
	CONSTRAINT "kids_pkey" PRIMARY KEY("parent_id","nick")
);
--> statement-breakpoint
CREATE TABLE "parents" (
	"id" serial PRIMARY KEY,
	"code" text CONSTRAINT "parents_code_key" UNIQUE
);
--> statement-breakpoint
CREATE TABLE "pets" (
	"id" serial PRIMARY KEY,
	"kind" text,
	"owner_id" integer,
	CONSTRAINT "pets_kind_owner_id_unique" UNIQUE("kind","owner_id")
);
--> statement-breakpoint
CREATE INDEX "kids_age_idx" ON "kids" ("age");--> statement-breakpoint
CREATE INDEX "pets_kind_index" ON "pets" ("kind");--> statement-breakpoint
ALTER TABLE "kids" ADD CONSTRAINT "kids_parent_id_parents_id_fkey" FOREIGN KEY ("parent_id") REFERENCES "parents"("id");--> statement-breakpoint
ALTER TABLE "pets" ADD CONSTRAINT "pets_owner_id_parents_id_fkey" FOREIGN KEY ("owner_id") REFERENCES "parents"("id");