CREATE TABLE "outlier_cases" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "outlier_cases_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"network_id" integer NOT NULL,
	"indicator_id" integer NOT NULL,
	"organisation_id" integer NOT NULL,
	"period_id" integer NOT NULL,
	"stage" text NOT NULL,
	"due_on" date,
	"owner" text NOT NULL,
	"opened_by" text NOT NULL,
	"opened_at" timestamp with time zone DEFAULT now() NOT NULL,
	"stage_entered_at" timestamp with time zone DEFAULT now() NOT NULL,
	"closed_at" timestamp with time zone,
	CONSTRAINT "outlier_cases_owner_not_blank" CHECK (length(trim("outlier_cases"."owner")) > 0)
);
--> statement-breakpoint
CREATE TABLE "outlier_case_events" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "outlier_case_events_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"case_id" integer NOT NULL,
	"occurred_at" timestamp with time zone DEFAULT now() NOT NULL,
	"actor" text NOT NULL,
	"user_id" integer,
	"kind" text NOT NULL,
	"from_stage" text,
	"to_stage" text,
	"text" text,
	"link" text
);
--> statement-breakpoint
CREATE TABLE "chart_annotations" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "chart_annotations_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"network_id" integer NOT NULL,
	"organisation_id" integer NOT NULL,
	"indicator_id" integer NOT NULL,
	"period_id" integer NOT NULL,
	"chart" text NOT NULL,
	"text" text NOT NULL,
	"author" text NOT NULL,
	"author_user_id" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "chart_annotations_text_not_blank" CHECK (length(trim("chart_annotations"."text")) > 0)
);
--> statement-breakpoint
CREATE TABLE "network_commentaries" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "network_commentaries_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"network_id" integer NOT NULL,
	"indicator_id" integer NOT NULL,
	"period_id" integer NOT NULL,
	"text" text NOT NULL,
	"author" text NOT NULL,
	"author_user_id" integer,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "network_commentaries_key" UNIQUE("network_id","indicator_id","period_id"),
	CONSTRAINT "network_commentaries_text_not_blank" CHECK (length(trim("network_commentaries"."text")) > 0)
);
--> statement-breakpoint
ALTER TABLE "outlier_cases" ADD CONSTRAINT "outlier_cases_network_id_networks_id_fk" FOREIGN KEY ("network_id") REFERENCES "public"."networks"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "outlier_cases" ADD CONSTRAINT "outlier_cases_indicator_id_indicators_id_fk" FOREIGN KEY ("indicator_id") REFERENCES "public"."indicators"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "outlier_cases" ADD CONSTRAINT "outlier_cases_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "outlier_cases" ADD CONSTRAINT "outlier_cases_period_id_periods_id_fk" FOREIGN KEY ("period_id") REFERENCES "public"."periods"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "outlier_case_events" ADD CONSTRAINT "outlier_case_events_case_id_outlier_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."outlier_cases"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "outlier_case_events" ADD CONSTRAINT "outlier_case_events_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "chart_annotations" ADD CONSTRAINT "chart_annotations_network_id_networks_id_fk" FOREIGN KEY ("network_id") REFERENCES "public"."networks"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "chart_annotations" ADD CONSTRAINT "chart_annotations_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "chart_annotations" ADD CONSTRAINT "chart_annotations_indicator_id_indicators_id_fk" FOREIGN KEY ("indicator_id") REFERENCES "public"."indicators"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "chart_annotations" ADD CONSTRAINT "chart_annotations_period_id_periods_id_fk" FOREIGN KEY ("period_id") REFERENCES "public"."periods"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "chart_annotations" ADD CONSTRAINT "chart_annotations_author_user_id_users_id_fk" FOREIGN KEY ("author_user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "network_commentaries" ADD CONSTRAINT "network_commentaries_network_id_networks_id_fk" FOREIGN KEY ("network_id") REFERENCES "public"."networks"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "network_commentaries" ADD CONSTRAINT "network_commentaries_indicator_id_indicators_id_fk" FOREIGN KEY ("indicator_id") REFERENCES "public"."indicators"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "network_commentaries" ADD CONSTRAINT "network_commentaries_period_id_periods_id_fk" FOREIGN KEY ("period_id") REFERENCES "public"."periods"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "network_commentaries" ADD CONSTRAINT "network_commentaries_author_user_id_users_id_fk" FOREIGN KEY ("author_user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "outlier_cases_open_finding_key" ON "outlier_cases" USING btree ("network_id","indicator_id","organisation_id","period_id") WHERE "outlier_cases"."closed_at" is null;--> statement-breakpoint
CREATE INDEX "outlier_cases_network_idx" ON "outlier_cases" USING btree ("network_id","due_on");--> statement-breakpoint
CREATE INDEX "outlier_cases_organisation_idx" ON "outlier_cases" USING btree ("organisation_id");--> statement-breakpoint
CREATE INDEX "outlier_case_events_case_idx" ON "outlier_case_events" USING btree ("case_id","occurred_at");--> statement-breakpoint
CREATE INDEX "chart_annotations_provider_idx" ON "chart_annotations" USING btree ("organisation_id","indicator_id");--> statement-breakpoint
-- Notes are drawn on the SPC exports, which are cached by data version: a note written or removed changes them.
CREATE TRIGGER "chart_annotations_data_version" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "chart_annotations" FOR EACH STATEMENT EXECUTE FUNCTION "bump_data_version"();
