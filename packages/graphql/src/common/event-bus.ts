// The event bus behind subscriptions: yoga's pub/sub, in-process by default or across server processes
// when apps/api hands it a Redis event target. Publishing never throws into a committed mutation.
import type { DomainEvent, EventPublisher } from "@wz/core";
import { createPubSub, type PubSub } from "graphql-yoga";
import type { Logger } from "../context";

type Payload<T extends DomainEvent["topic"]> = Omit<Extract<DomainEvent, { topic: T }>, "topic">;

export type EventBus = PubSub<{
  "formation:changed": [Payload<"formation:changed">];
  "lead:event": [Payload<"lead:event">];
  "investment:event": [Payload<"investment:event">];
  "session:revoked": [Payload<"session:revoked">];
  "roles:changed": [Payload<"roles:changed">];
  "mail:queued": [Payload<"mail:queued">];
}>;

export function createEventBus(
  eventTarget?: Parameters<typeof createPubSub>[0] extends infer O
    ? O extends { eventTarget?: infer E }
      ? E
      : never
    : never,
): EventBus {
  return createPubSub(eventTarget ? { eventTarget } : {}) as EventBus;
}

export function eventPublisher(bus: EventBus, logger: Logger): EventPublisher {
  return {
    publish: (event) => {
      try {
        const { topic, ...payload } = event;
        const result: unknown = (bus.publish as (topic: string, payload: unknown) => unknown)(topic, payload);
        if (result instanceof Promise)
          result.catch((err: unknown) => logger.warn({ err, topic }, "event not broadcast"));
      } catch (err) {
        logger.warn({ err, topic: event.topic }, "event not broadcast");
      }
    },
  };
}
