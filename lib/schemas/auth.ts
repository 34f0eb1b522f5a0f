import { z } from "zod";

export const emailSchema = z
  .string({ error: "Enter your email address." })
  .trim()
  .min(1, "Enter your email address.")
  .max(254, "That email address is too long.")
  .pipe(z.email("Enter a valid email address, like name@example.com."))
  .transform((v) => v.toLowerCase());

export const signInSchema = z.object({
  email: emailSchema,
  password: z
    .string({ error: "Enter your password." })
    .min(1, "Enter your password.")
    .max(1024, "That password is too long."),
});

/** Passwords Mandate sets (bootstrap, new users): long enough to resist guessing. */
export const newPasswordSchema = z
  .string()
  .min(12, "Use at least 12 characters.")
  .max(1024, "That password is too long.");
