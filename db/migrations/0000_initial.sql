CREATE TYPE "public"."load_batch_status" AS ENUM('loaded', 'superseded', 'rolled_back');--> statement-breakpoint
CREATE TYPE "public"."measure_kind" AS ENUM('proportion', 'crude_rate', 'indirectly_standardised_ratio', 'directly_standardised_rate', 'mean');--> statement-breakpoint
CREATE TYPE "public"."network_kind" AS ENUM('strategic_clinical_network', 'operational_delivery_network', 'primary_care_network', 'cancer_network', 'icb', 'custom');--> statement-breakpoint
CREATE TYPE "public"."organisation_kind" AS ENUM('trust', 'site', 'gp_practice', 'icb', 'region', 'other');--> statement-breakpoint
CREATE TYPE "public"."period_granularity" AS ENUM('month', 'quarter', 'financial_year', 'calendar_year', 'rolling_12_months', 'rolling_36_months', 'other');--> statement-breakpoint
CREATE TYPE "public"."polarity" AS ENUM('higher_is_better', 'lower_is_better', 'no_judgement');--> statement-breakpoint
CREATE TABLE "organisations" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "organisations_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"code" text NOT NULL,
	"name" text NOT NULL,
	"kind" "organisation_kind" NOT NULL,
	"parent_id" integer,
	"opened_on" date,
	"closed_on" date,
	CONSTRAINT "organisations_code_key" UNIQUE("code"),
	CONSTRAINT "organisations_code_not_blank" CHECK (length(trim("organisations"."code")) > 0),
	CONSTRAINT "organisations_opened_before_closed" CHECK ("organisations"."closed_on" is null or "organisations"."opened_on" is null or "organisations"."closed_on" >= "organisations"."opened_on")
);
--> statement-breakpoint
CREATE TABLE "networks" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "networks_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"code" text NOT NULL,
	"name" text NOT NULL,
	"kind" "network_kind" NOT NULL,
	"description" text,
	"restricted" boolean DEFAULT false NOT NULL,
	CONSTRAINT "networks_code_key" UNIQUE("code"),
	CONSTRAINT "networks_code_not_blank" CHECK (length(trim("networks"."code")) > 0)
);
--> statement-breakpoint
CREATE TABLE "network_memberships" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "network_memberships_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"network_id" integer NOT NULL,
	"organisation_id" integer NOT NULL,
	"valid_from" date NOT NULL,
	"valid_to" date,
	CONSTRAINT "network_memberships_network_organisation_from_key" UNIQUE("network_id","organisation_id","valid_from"),
	CONSTRAINT "network_memberships_valid_range" CHECK ("network_memberships"."valid_to" is null or "network_memberships"."valid_to" > "network_memberships"."valid_from")
);
--> statement-breakpoint
CREATE TABLE "indicators" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "indicators_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"code" text NOT NULL,
	"name" text NOT NULL,
	"domain" text NOT NULL,
	"measure_kind" "measure_kind" NOT NULL,
	"polarity" "polarity" NOT NULL,
	"multiplier" double precision DEFAULT 1 NOT NULL,
	"unit" text NOT NULL,
	"definition" text,
	"source" text,
	"target" double precision,
	CONSTRAINT "indicators_code_key" UNIQUE("code"),
	CONSTRAINT "indicators_code_not_blank" CHECK (length(trim("indicators"."code")) > 0),
	CONSTRAINT "indicators_multiplier_positive" CHECK ("indicators"."multiplier" > 0)
);
--> statement-breakpoint
CREATE TABLE "periods" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "periods_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"label" text NOT NULL,
	"start_date" date NOT NULL,
	"end_date" date NOT NULL,
	"granularity" "period_granularity" NOT NULL,
	CONSTRAINT "periods_label_key" UNIQUE("label"),
	CONSTRAINT "periods_start_before_end" CHECK ("periods"."end_date" >= "periods"."start_date")
);
--> statement-breakpoint
CREATE TABLE "load_batches" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "load_batches_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"file_name" text NOT NULL,
	"format" text NOT NULL,
	"checksum" text NOT NULL,
	"row_count" integer NOT NULL,
	"rejected_row_count" integer DEFAULT 0 NOT NULL,
	"loaded_at" timestamp with time zone DEFAULT now() NOT NULL,
	"loaded_by" text,
	"status" "load_batch_status" DEFAULT 'loaded' NOT NULL,
	"superseded_by_id" integer,
	CONSTRAINT "load_batches_checksum_sha256" CHECK ("load_batches"."checksum" ~ '^[0-9a-f]{64}$'),
	CONSTRAINT "load_batches_counts_non_negative" CHECK ("load_batches"."row_count" >= 0 and "load_batches"."rejected_row_count" >= 0)
);
--> statement-breakpoint
CREATE TABLE "observations" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "observations_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
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
	CONSTRAINT "observations_indicator_organisation_period_key" UNIQUE("indicator_id","organisation_id","period_id"),
	CONSTRAINT "observations_numerator_non_negative" CHECK ("observations"."numerator" is null or "observations"."numerator" >= 0),
	CONSTRAINT "observations_denominator_positive" CHECK ("observations"."denominator" is null or "observations"."denominator" > 0),
	CONSTRAINT "observations_observed_non_negative" CHECK ("observations"."observed" is null or "observations"."observed" >= 0),
	CONSTRAINT "observations_expected_positive" CHECK ("observations"."expected" is null or "observations"."expected" > 0),
	CONSTRAINT "observations_has_a_measure" CHECK (("observations"."numerator" is not null and "observations"."denominator" is not null)
        or ("observations"."observed" is not null and "observations"."expected" is not null)
        or "observations"."value" is not null)
);
--> statement-breakpoint
ALTER TABLE "organisations" ADD CONSTRAINT "organisations_parent_id_organisations_id_fk" FOREIGN KEY ("parent_id") REFERENCES "public"."organisations"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "network_memberships" ADD CONSTRAINT "network_memberships_network_id_networks_id_fk" FOREIGN KEY ("network_id") REFERENCES "public"."networks"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "network_memberships" ADD CONSTRAINT "network_memberships_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "load_batches" ADD CONSTRAINT "load_batches_superseded_by_id_load_batches_id_fk" FOREIGN KEY ("superseded_by_id") REFERENCES "public"."load_batches"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "observations" ADD CONSTRAINT "observations_indicator_id_indicators_id_fk" FOREIGN KEY ("indicator_id") REFERENCES "public"."indicators"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "observations" ADD CONSTRAINT "observations_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "observations" ADD CONSTRAINT "observations_period_id_periods_id_fk" FOREIGN KEY ("period_id") REFERENCES "public"."periods"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "observations" ADD CONSTRAINT "observations_load_batch_id_load_batches_id_fk" FOREIGN KEY ("load_batch_id") REFERENCES "public"."load_batches"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "organisations_parent_idx" ON "organisations" USING btree ("parent_id");--> statement-breakpoint
CREATE INDEX "network_memberships_organisation_idx" ON "network_memberships" USING btree ("organisation_id");--> statement-breakpoint
CREATE INDEX "periods_start_idx" ON "periods" USING btree ("start_date");--> statement-breakpoint
CREATE INDEX "observations_indicator_period_idx" ON "observations" USING btree ("indicator_id","period_id");--> statement-breakpoint
CREATE INDEX "observations_organisation_idx" ON "observations" USING btree ("organisation_id");--> statement-breakpoint
CREATE INDEX "observations_load_batch_idx" ON "observations" USING btree ("load_batch_id");