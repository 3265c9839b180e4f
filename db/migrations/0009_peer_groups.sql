CREATE TYPE "public"."attribute_kind" AS ENUM('numeric', 'categorical');--> statement-breakpoint
CREATE TABLE "organisation_attributes" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "organisation_attributes_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"load_batch_id" integer NOT NULL,
	"organisation_id" integer NOT NULL,
	"attribute" text NOT NULL,
	"kind" "attribute_kind" NOT NULL,
	"numeric_value" double precision,
	"category" text,
	CONSTRAINT "organisation_attributes_batch_key" UNIQUE("load_batch_id","organisation_id","attribute"),
	CONSTRAINT "organisation_attributes_typed_value" CHECK (("organisation_attributes"."kind" = 'numeric' and "organisation_attributes"."numeric_value" is not null and "organisation_attributes"."category" is null) or ("organisation_attributes"."kind" = 'categorical' and "organisation_attributes"."category" is not null and "organisation_attributes"."numeric_value" is null))
);
--> statement-breakpoint
CREATE TABLE "peer_sets" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "peer_sets_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"name" text NOT NULL,
	"description" text,
	"definition" jsonb,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "peer_sets_name_key" UNIQUE("name")
);
--> statement-breakpoint
CREATE TABLE "peer_set_members" (
	"peer_set_id" integer NOT NULL,
	"organisation_id" integer NOT NULL,
	CONSTRAINT "peer_set_members_peer_set_id_organisation_id_pk" PRIMARY KEY("peer_set_id","organisation_id")
);
--> statement-breakpoint
ALTER TABLE "organisation_attributes" ADD CONSTRAINT "organisation_attributes_load_batch_id_load_batches_id_fk" FOREIGN KEY ("load_batch_id") REFERENCES "public"."load_batches"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "organisation_attributes" ADD CONSTRAINT "organisation_attributes_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "peer_set_members" ADD CONSTRAINT "peer_set_members_peer_set_id_peer_sets_id_fk" FOREIGN KEY ("peer_set_id") REFERENCES "public"."peer_sets"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "peer_set_members" ADD CONSTRAINT "peer_set_members_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "organisation_attributes_organisation_idx" ON "organisation_attributes" USING btree ("organisation_id","attribute");--> statement-breakpoint
CREATE INDEX "peer_set_members_organisation_idx" ON "peer_set_members" USING btree ("organisation_id");
--> statement-breakpoint
CREATE TRIGGER "organisation_attributes_data_version" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "organisation_attributes" FOR EACH STATEMENT EXECUTE FUNCTION "bump_data_version"();--> statement-breakpoint
CREATE TRIGGER "peer_sets_data_version" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "peer_sets" FOR EACH STATEMENT EXECUTE FUNCTION "bump_data_version"();--> statement-breakpoint
CREATE TRIGGER "peer_set_members_data_version" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "peer_set_members" FOR EACH STATEMENT EXECUTE FUNCTION "bump_data_version"();
