ALTER TYPE "public"."target_kind" ADD VALUE 'local_ambition';--> statement-breakpoint
ALTER TABLE "indicator_targets" DROP CONSTRAINT "indicator_targets_key";--> statement-breakpoint
ALTER TABLE "indicator_targets" ADD COLUMN "network_id" integer;--> statement-breakpoint
ALTER TABLE "indicator_targets" ADD CONSTRAINT "indicator_targets_network_id_networks_id_fk" FOREIGN KEY ("network_id") REFERENCES "public"."networks"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "indicator_targets" ADD CONSTRAINT "indicator_targets_key" UNIQUE NULLS NOT DISTINCT("indicator_id","kind","valid_from","network_id");