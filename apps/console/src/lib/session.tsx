// The signed-in session (token, language, viewer) for every page, and the clients made for it.

import type { Client as WsClient } from "graphql-ws";
import { createContext, useContext } from "react";
import type { ResultOf } from "../graphql";
import type { Language } from "../i18n";
import type { MeQuery } from "../operations";

export type Viewer = NonNullable<ResultOf<typeof MeQuery>["me"]>;

export interface SessionValue {
  token: string | null;
  language: Language;
  ws: WsClient | null;
  viewer: Viewer | null;
  setLanguage(language: Language): void;
  signIn(token: string): void;
  signOut(): void;
}

export const SessionContext = createContext<SessionValue | null>(null);

export function useSession(): SessionValue {
  const value = useContext(SessionContext);
  if (!value) throw new Error("useSession outside SessionContext");
  return value;
}

export function useViewer(): Viewer {
  const { viewer } = useSession();
  if (!viewer) throw new Error("useViewer before sign-in");
  return viewer;
}

/** Chambers where the viewer is a secretary. */
export function secretaryChambers(viewer: Viewer) {
  return viewer.chamberRoles.filter((role) => role.role === "SECRETARY").map((role) => role.chamber);
}

/** Chambers where the viewer is a member (and so may post leads). */
export function memberChambers(viewer: Viewer) {
  return viewer.chamberRoles.filter((role) => role.role === "MEMBER").map((role) => role.chamber);
}

const tokenKey = "wz-console-token";
export const storedToken = (): string | null => {
  try {
    return localStorage.getItem(tokenKey);
  } catch {
    return null;
  }
};
export const rememberToken = (token: string | null): void => {
  try {
    if (token) localStorage.setItem(tokenKey, token);
    else localStorage.removeItem(tokenKey);
  } catch {
    // no storage: the session lasts for this page
  }
};
