ALTER TABLE "writers" RENAME TO "authors";--> statement-breakpoint
ALTER TABLE "books" RENAME COLUMN "writer_id" TO "author_id";--> statement-breakpoint
ALTER TABLE "books" DROP CONSTRAINT "books_writer_id_writers_id_fk";
--> statement-breakpoint
ALTER TABLE "books" ADD CONSTRAINT "books_author_id_authors_id_fk" FOREIGN KEY ("author_id") REFERENCES "public"."authors"("id") ON DELETE no action ON UPDATE no action;