CREATE TABLE "ok_table" (
	"id" serial PRIMARY KEY NOT NULL
);
