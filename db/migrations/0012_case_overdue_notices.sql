CREATE TABLE "outlier_case_overdue_notices" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "outlier_case_overdue_notices_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"case_id" integer NOT NULL,
	"stage" text NOT NULL,
	"due_on" date NOT NULL,
	"noticed_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "outlier_case_overdue_notices_case_stage_key" UNIQUE("case_id","stage")
);
--> statement-breakpoint
ALTER TABLE "alert_digests" ALTER COLUMN "event_id" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "alert_digests" ADD COLUMN "overdue_notice_id" integer;--> statement-breakpoint
ALTER TABLE "outlier_case_overdue_notices" ADD CONSTRAINT "outlier_case_overdue_notices_case_id_outlier_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."outlier_cases"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "alert_digests" ADD CONSTRAINT "alert_digests_overdue_notice_id_outlier_case_overdue_notices_id_fk" FOREIGN KEY ("overdue_notice_id") REFERENCES "public"."outlier_case_overdue_notices"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "alert_digests" ADD CONSTRAINT "alert_digests_user_overdue_notice_key" UNIQUE("user_id","overdue_notice_id");--> statement-breakpoint
ALTER TABLE "alert_digests" ADD CONSTRAINT "alert_digests_one_source" CHECK (("alert_digests"."event_id" is null) <> ("alert_digests"."overdue_notice_id" is null));