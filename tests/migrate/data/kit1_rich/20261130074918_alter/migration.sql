ALTER TYPE "mood" ADD VALUE 'happy';--> statement-breakpoint
CREATE TABLE "shelves" (
	"id" serial PRIMARY KEY,
	"label" text NOT NULL
);
--> statement-breakpoint
DROP INDEX "title_idx";--> statement-breakpoint
ALTER TABLE "book_tags" ADD COLUMN "weight" integer DEFAULT 1;--> statement-breakpoint
ALTER TABLE "books" DROP COLUMN "tags";--> statement-breakpoint
ALTER TABLE "book_tags" DROP CONSTRAINT "book_tags_pkey";--> statement-breakpoint
ALTER TABLE "book_tags" ADD PRIMARY KEY ("book_id","tag","weight");--> statement-breakpoint
ALTER TABLE "authors" ALTER COLUMN "email" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "authors" ALTER COLUMN "mood" SET DEFAULT 'happy'::"mood";--> statement-breakpoint
ALTER TABLE "books" ALTER COLUMN "title" SET DATA TYPE varchar(512) USING "title"::varchar(512);--> statement-breakpoint
ALTER TABLE "books" ALTER COLUMN "pages" DROP DEFAULT;--> statement-breakpoint
DROP INDEX "author_title_idx";--> statement-breakpoint
CREATE UNIQUE INDEX "author_title_idx" ON "books" ("author_id","title" DESC NULLS LAST);--> statement-breakpoint
ALTER TABLE "authors" DROP CONSTRAINT "author_identity";--> statement-breakpoint
ALTER TABLE "authors" ADD CONSTRAINT "author_identity" UNIQUE("email","name");--> statement-breakpoint
CREATE INDEX "weight_idx" ON "book_tags" ("weight");--> statement-breakpoint
ALTER TABLE "books" DROP CONSTRAINT "books_author_id_authors_id_fkey", ADD CONSTRAINT "books_author_id_authors_id_fkey" FOREIGN KEY ("author_id") REFERENCES "authors"("id") ON DELETE CASCADE;--> statement-breakpoint
ALTER TABLE "authors" DROP CONSTRAINT "name_len", ADD CONSTRAINT "name_len" CHECK (length("name") > 1);