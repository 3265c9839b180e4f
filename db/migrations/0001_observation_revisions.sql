CREATE TABLE "observation_revisions" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "observation_revisions_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"indicator_id" integer NOT NULL,
	"organisation_id" integer NOT NULL,
	"period_id" integer NOT NULL,
	"numerator" double precision,
	"denominator" double precision,
	"observed" double precision,
	"expected" double precision,
	"value" double precision,
	"value_lower" double precision,
	"value_upper" double precision,
	"load_batch_id" integer NOT NULL,
	"superseded_by_batch_id" integer NOT NULL,
	"superseded_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "observation_revisions" ADD CONSTRAINT "observation_revisions_indicator_id_indicators_id_fk" FOREIGN KEY ("indicator_id") REFERENCES "public"."indicators"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "observation_revisions" ADD CONSTRAINT "observation_revisions_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "observation_revisions" ADD CONSTRAINT "observation_revisions_period_id_periods_id_fk" FOREIGN KEY ("period_id") REFERENCES "public"."periods"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "observation_revisions" ADD CONSTRAINT "observation_revisions_load_batch_id_load_batches_id_fk" FOREIGN KEY ("load_batch_id") REFERENCES "public"."load_batches"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "observation_revisions" ADD CONSTRAINT "observation_revisions_superseded_by_batch_id_load_batches_id_fk" FOREIGN KEY ("superseded_by_batch_id") REFERENCES "public"."load_batches"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "observation_revisions_superseded_by_idx" ON "observation_revisions" USING btree ("superseded_by_batch_id");--> statement-breakpoint
CREATE INDEX "observation_revisions_load_batch_idx" ON "observation_revisions" USING btree ("load_batch_id");