CREATE TYPE "public"."credential_source" AS ENUM('manual', 'github-oauth');--> statement-breakpoint
ALTER TABLE "user_credentials" ADD COLUMN "source" "credential_source" DEFAULT 'manual' NOT NULL;