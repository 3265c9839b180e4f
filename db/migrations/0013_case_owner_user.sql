ALTER TABLE "outlier_cases" ADD COLUMN "owner_user_id" integer;--> statement-breakpoint
ALTER TABLE "outlier_cases" ADD CONSTRAINT "outlier_cases_owner_user_id_users_id_fk" FOREIGN KEY ("owner_user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "outlier_cases_owner_user_idx" ON "outlier_cases" USING btree ("owner_user_id");--> statement-breakpoint
-- An owner written as a name becomes that user where exactly one user has it as display name or subject.
UPDATE "outlier_cases" SET "owner_user_id" = "matched"."user_id"
FROM (
	SELECT "outlier_cases"."id" AS "case_id", min("users"."id") AS "user_id"
	FROM "outlier_cases" INNER JOIN "users" ON "users"."display_name" = "outlier_cases"."owner" OR "users"."subject" = "outlier_cases"."owner"
	GROUP BY "outlier_cases"."id"
	HAVING count(DISTINCT "users"."id") = 1
) AS "matched"
WHERE "outlier_cases"."id" = "matched"."case_id";
