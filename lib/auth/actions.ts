import { unstable_rethrow } from "next/navigation";
import type { User } from "@/lib/db/schema";
import { AppError } from "@/lib/errors";
import { logger } from "@/lib/logger";
import { type FormState, submittedValues } from "./form-state";
import { getSessionUser } from "./session";

export type { FormState };

type Action<A extends unknown[], T> = (user: User, ...args: A) => Promise<FormState<T>>;

/** Runs an action for a signed-in person (or only for admins), turning errors into form state. */
function guarded<A extends unknown[], T>(role: "user" | "admin", action: Action<A, T>) {
  return async (...args: A): Promise<FormState<T>> => {
    const result = await run(args);
    // A refused form keeps what was typed in it.
    const formData = args.find((arg): arg is FormData => arg instanceof FormData);
    return result.status === "error" && formData ? { ...result, values: submittedValues(formData) } : result;
  };

  async function run(args: A): Promise<FormState<T>> {
    const user = await getSessionUser();
    if (!user) return { status: "error", code: "unauthorized", message: "Your session ended: sign in again" };
    if (role === "admin" && user.role !== "admin") {
      return { status: "error", code: "forbidden", message: "Only admins can do this" };
    }
    try {
      return await action(user, ...args);
    } catch (error) {
      unstable_rethrow(error);
      if (error instanceof AppError) {
        return { status: "error", code: error.code, message: error.message, fieldErrors: error.fieldErrors };
      }
      logger.error(
        { err: error instanceof Error ? { message: error.message, stack: error.stack } : String(error) },
        "server action failed",
      );
      return { status: "error", code: "internal", message: "Something went wrong on the server; try again" };
    }
  }
}

export const userAction = <A extends unknown[], T = never>(action: Action<A, T>) => guarded("user", action);
export const adminAction = <A extends unknown[], T = never>(action: Action<A, T>) => guarded("admin", action);
