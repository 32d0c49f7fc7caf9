CREATE TYPE "mood" AS ENUM('sad', 'ok');--> statement-breakpoint
CREATE TABLE "authors" (
	"id" serial PRIMARY KEY,
	"name" text NOT NULL,
	"email" varchar(256) CONSTRAINT "author_identity" UNIQUE,
	"mood" "mood" DEFAULT 'ok'::"mood",
	CONSTRAINT "name_len" CHECK (length("name") > 0)
);
--> statement-breakpoint
CREATE TABLE "book_tags" (
	"book_id" integer,
	"tag" text UNIQUE,
	CONSTRAINT "book_tags_pkey" PRIMARY KEY("book_id","tag")
);
--> statement-breakpoint
CREATE TABLE "books" (
	"id" serial PRIMARY KEY,
	"author_id" integer,
	"title" text NOT NULL,
	"pages" integer DEFAULT 0,
	"tags" text[]
);
--> statement-breakpoint
CREATE INDEX "title_idx" ON "books" ("title");--> statement-breakpoint
CREATE UNIQUE INDEX "author_title_idx" ON "books" ("author_id","title");--> statement-breakpoint
ALTER TABLE "books" ADD CONSTRAINT "books_author_id_authors_id_fkey" FOREIGN KEY ("author_id") REFERENCES "authors"("id");