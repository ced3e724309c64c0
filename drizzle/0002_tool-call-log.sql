CREATE TABLE "tool_calls" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"user_id" uuid,
	"key_id" uuid,
	"server_id" uuid,
	"server_name" text NOT NULL,
	"tool" text NOT NULL,
	"status" text NOT NULL,
	"duration_ms" integer NOT NULL,
	"error_class" text,
	"request_id" text NOT NULL,
	"argument_bytes" integer NOT NULL,
	"result_bytes" integer
);
--> statement-breakpoint
ALTER TABLE "tool_calls" ADD CONSTRAINT "tool_calls_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tool_calls" ADD CONSTRAINT "tool_calls_key_id_api_keys_id_fk" FOREIGN KEY ("key_id") REFERENCES "public"."api_keys"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tool_calls" ADD CONSTRAINT "tool_calls_server_id_servers_id_fk" FOREIGN KEY ("server_id") REFERENCES "public"."servers"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "tool_calls_at_idx" ON "tool_calls" USING btree ("at");--> statement-breakpoint
CREATE INDEX "tool_calls_user_id_at_idx" ON "tool_calls" USING btree ("user_id","at");--> statement-breakpoint
CREATE INDEX "tool_calls_server_id_at_idx" ON "tool_calls" USING btree ("server_id","at");