/** An echo request: the prompt's text, the model, an optional instruction, and whether to stream. */
import { z } from 'zod';

export const EchoRequestSchema = z.object({
  model: z.string().min(1),
  text: z.string(),
  system: z.string().optional(),
  stream: z.boolean().optional(),
});

export type EchoRequest = z.infer<typeof EchoRequestSchema>;
