/**
 * An echo answer: whole, `{id, model, text, stop, usage}`; streamed, `event: text` with
 * `{text}` per piece, then `event: done` with `{stop, usage}` (or `event: error`).
 */
import { z } from 'zod';

export const EchoUsageSchema = z.object({ input: z.number(), output: z.number() });

export const EchoAnswerSchema = z.object({
  id: z.string().optional(),
  model: z.string().optional(),
  text: z.string(),
  stop: z.string(),
  usage: EchoUsageSchema.optional(),
});

export const EchoDoneSchema = z.object({ stop: z.string(), usage: EchoUsageSchema.optional() });

export type EchoUsage = z.infer<typeof EchoUsageSchema>;
export type EchoAnswer = z.infer<typeof EchoAnswerSchema>;
