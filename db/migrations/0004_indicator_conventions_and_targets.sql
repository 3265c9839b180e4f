CREATE TYPE "public"."funnel_convention" AS ENUM('spiegelhalter', 'cqc', 'shmi');--> statement-breakpoint
CREATE TYPE "public"."target_kind" AS ENUM('operational', 'constitutional');--> statement-breakpoint
CREATE TABLE "indicator_targets" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "indicator_targets_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"indicator_id" integer NOT NULL,
	"kind" "target_kind" NOT NULL,
	"valid_from" date NOT NULL,
	"valid_to" date,
	"value" double precision NOT NULL,
	"source" text NOT NULL,
	"note" text,
	CONSTRAINT "indicator_targets_key" UNIQUE("indicator_id","kind","valid_from"),
	CONSTRAINT "indicator_targets_range" CHECK ("indicator_targets"."valid_to" is null or "indicator_targets"."valid_to" > "indicator_targets"."valid_from")
);
--> statement-breakpoint
ALTER TABLE "indicators" ADD COLUMN "default_convention" "funnel_convention";--> statement-breakpoint
ALTER TABLE "indicator_targets" ADD CONSTRAINT "indicator_targets_indicator_id_indicators_id_fk" FOREIGN KEY ("indicator_id") REFERENCES "public"."indicators"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "indicator_targets_indicator_idx" ON "indicator_targets" USING btree ("indicator_id");