/**
 * Gemini answers as the gateway writes them for a client: GenerateContentResponse
 * (https://ai.google.dev/api/generate-content#v1beta.GenerateContentResponse). An upstream's
 * chunks are read field by field where they are used (stream-in.ts, usage.ts).
 */
import type { GoogleContentOut } from './wire-request.js';

export interface GoogleUsageMetadata {
  promptTokenCount?: number;
  candidatesTokenCount?: number;
  thoughtsTokenCount?: number;
  cachedContentTokenCount?: number;
  totalTokenCount?: number;
}

export interface GoogleCandidateOut {
  content: GoogleContentOut;
  finishReason?: string;
  index: number;
}

export interface GoogleGenerateContentResponse {
  candidates: GoogleCandidateOut[];
  usageMetadata?: GoogleUsageMetadata;
  modelVersion: string;
  responseId: string;
}
