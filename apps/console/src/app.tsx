// The shell: language and session state, the clients for them, sign-in, navigation and the pages.
import { App as AntApp, Button, ConfigProvider, Layout, Space, Spin, Typography } from "antd";
import enUS from "antd/locale/en_US";
import zhCN from "antd/locale/zh_CN";
import { lazy, type ReactNode, Suspense, useEffect, useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { Provider, useMutation, useQuery } from "urql";
import { type Language, rememberLanguage, storedLanguage } from "./i18n";
import { createClients } from "./lib/client";
import { match, navigate, usePath } from "./lib/router";
import { rememberToken, SessionContext, secretaryChambers, storedToken, useSession, type Viewer } from "./lib/session";
import { ErrorState, Loading } from "./lib/states";
import { LogoutMutation, MeQuery, SetMyLocaleMutation } from "./operations";
import { AcceptInvitePage, LoginPage } from "./pages/login";

// The sign-in page loads nothing else: each signed-in page (and what it alone uses, e.g. ECharts) is a chunk of
// its own, fetched when first opened.
const AuditPage = lazy(() => import("./pages/chambers").then((module) => ({ default: module.AuditPage })));
const ChambersPage = lazy(() => import("./pages/chambers").then((module) => ({ default: module.ChambersPage })));
const DirectoryPage = lazy(() => import("./pages/directory").then((module) => ({ default: module.DirectoryPage })));
const DuplicatesPage = lazy(() => import("./pages/duplicates").then((module) => ({ default: module.DuplicatesPage })));
const FormationPage = lazy(() => import("./pages/formation").then((module) => ({ default: module.FormationPage })));
const LeadsPage = lazy(() => import("./pages/leads").then((module) => ({ default: module.LeadsPage })));
const MembershipPage = lazy(() => import("./pages/members").then((module) => ({ default: module.MembershipPage })));
const MembersPage = lazy(() => import("./pages/members").then((module) => ({ default: module.MembersPage })));
const MerchantPage = lazy(() => import("./pages/merchant").then((module) => ({ default: module.MerchantPage })));
const ProfilePage = lazy(() => import("./pages/profile").then((module) => ({ default: module.ProfilePage })));
const DelegationsPage = lazy(() =>
  import("./pages/delegations").then((module) => ({ default: module.DelegationsPage })),
);
const LeadingGeesePage = lazy(() =>
  import("./pages/leading-geese").then((module) => ({ default: module.LeadingGeesePage })),
);
const GatheringsPage = lazy(() => import("./pages/gatherings").then((module) => ({ default: module.GatheringsPage })));
const RecognitionPage = lazy(() =>
  import("./pages/recognition").then((module) => ({ default: module.RecognitionPage })),
);
const ReturnInvestmentPage = lazy(() =>
  import("./pages/return-investment").then((module) => ({ default: module.ReturnInvestmentPage })),
);

// Colours with enough contrast for WCAG AA (antd's default placeholder and link colours have too little), and
// no animation for those who ask for reduced motion.
const theme = {
  colorPrimary: "#b71c1c",
  colorLink: "#a31515",
  colorError: "#cf1322",
  colorSuccess: "#237804",
  colorTextPlaceholder: "rgba(0, 0, 0, 0.6)",
  colorTextDescription: "rgba(0, 0, 0, 0.65)",
  motion: !window.matchMedia?.("(prefers-reduced-motion: reduce)").matches,
};

export function App() {
  const [language, setLanguageState] = useState<Language>(storedLanguage);
  const [token, setToken] = useState<string | null>(storedToken);
  const clients = useMemo(() => createClients({ token, language }), [token, language]);
  useEffect(() => () => void clients.ws?.dispose(), [clients]);
  const { i18n } = useTranslation();
  useEffect(() => {
    if (i18n.language !== language) void i18n.changeLanguage(language);
  }, [i18n, language]);

  const session = {
    token,
    language,
    ws: clients.ws,
    viewer: null,
    setLanguage: (next: Language) => {
      rememberLanguage(next);
      setLanguageState(next);
    },
    signIn: (next: string) => {
      rememberToken(next);
      setToken(next);
    },
    signOut: () => {
      rememberToken(null);
      setToken(null);
      navigate("/");
    },
  };
  return (
    <ConfigProvider
      locale={language === "en" ? enUS : zhCN}
      button={{ autoInsertSpace: false }}
      theme={{ token: theme }}
    >
      <AntApp>
        <Provider value={clients.client}>
          <SessionContext.Provider value={session}>{token ? <SignedIn /> : <SignedOut />}</SessionContext.Provider>
        </Provider>
      </AntApp>
    </ConfigProvider>
  );
}

function SignedOut() {
  const path = usePath();
  return <Frame>{path.startsWith("/accept-invite") ? <AcceptInvitePage /> : <LoginPage />}</Frame>;
}

function SignedIn() {
  const session = useSession();
  const [me, refetch] = useQuery({ query: MeQuery, requestPolicy: "network-only" });
  useEffect(() => {
    // A token the server no longer knows (expired, revoked, a new database) means signing in again.
    if (me.data && !me.data.me) session.signOut();
  }, [me.data, session]);
  if (me.error)
    return (
      <Frame>
        <ErrorState error={me.error} retry={() => refetch()} />
      </Frame>
    );
  const viewer = me.data?.me;
  if (!viewer)
    return (
      <Frame>
        <Spin style={{ display: "block", margin: 48 }} />
      </Frame>
    );
  return (
    <SessionContext.Provider value={{ ...session, viewer }}>
      <Frame viewer={viewer}>
        <Suspense fallback={<Loading />}>
          <Pages viewer={viewer} />
        </Suspense>
      </Frame>
    </SessionContext.Provider>
  );
}

interface NavItem {
  to: string;
  label: string;
}

function mayReadReturnInvestment(viewer: Viewer): boolean {
  return viewer.isFederationStaff || viewer.isCityStaff || secretaryChambers(viewer).length > 0;
}

// Who is offered each of the city's pages: the API decides what each reads; these only keep links to pages that
// would read empty away from those who cannot use them.
function mayReadDelegations(viewer: Viewer): boolean {
  return viewer.isFederationStaff || viewer.isCityStaff || viewer.chamberRoles.length > 0;
}
function mayReadGeese(viewer: Viewer): boolean {
  return viewer.isFederationStaff || viewer.isCityStaff;
}
function mayReadGatherings(viewer: Viewer): boolean {
  return viewer.isFederationStaff || viewer.chamberRoles.length > 0;
}
function mayReadRecognition(viewer: Viewer): boolean {
  return viewer.isFederationStaff || viewer.isCityStaff || secretaryChambers(viewer).length > 0;
}

function navItems(viewer: Viewer, t: (key: string) => string): NavItem[] {
  const items: NavItem[] = [
    { to: "/directory", label: t("nav.directory") },
    { to: "/leads", label: t("nav.leads") },
  ];
  if (viewer.isFederationStaff || secretaryChambers(viewer).length > 0)
    items.push({ to: "/members", label: t("nav.members") });
  if (viewer.isFederationStaff) items.push({ to: "/formation", label: t("nav.formation") });
  // city and federation staff see progress and every project; secretaries their chamber's projects
  if (mayReadReturnInvestment(viewer)) items.push({ to: "/return-investment", label: t("nav.returnInvestment") });
  if (mayReadDelegations(viewer)) items.push({ to: "/delegations", label: t("nav.delegations") });
  if (mayReadGeese(viewer)) items.push({ to: "/leading-geese", label: t("nav.leadingGeese") });
  if (mayReadGatherings(viewer)) items.push({ to: "/gatherings", label: t("nav.gatherings") });
  if (mayReadRecognition(viewer)) items.push({ to: "/recognition", label: t("nav.recognition") });
  if (viewer.isFederationStaff) {
    items.push({ to: "/chambers", label: t("nav.chambers") });
    items.push({ to: "/duplicates", label: t("nav.duplicates") });
    items.push({ to: "/audit", label: t("nav.audit") });
  }
  items.push({ to: "/profile", label: t("nav.profile") });
  return items;
}

function Frame(props: { viewer?: Viewer; children: ReactNode }) {
  const { t } = useTranslation();
  const session = useSession();
  const path = usePath();
  const [, logout] = useMutation(LogoutMutation);
  const [, setMyLocale] = useMutation(SetMyLocaleMutation);
  const items = props.viewer ? navItems(props.viewer, t) : [];
  return (
    <Layout style={{ minHeight: "100vh" }}>
      <Layout.Header className="wz-header">
        <a
          href="/"
          className="wz-brand"
          onClick={(e) => {
            e.preventDefault();
            navigate("/");
          }}
        >
          {t("app.title")}
        </a>
        {items.length > 0 && (
          <nav aria-label={t("nav.menu")} className="wz-nav">
            {items.map((item) => (
              <a
                key={item.to}
                href={item.to}
                aria-current={path.startsWith(item.to) ? "page" : undefined}
                onClick={(e) => {
                  e.preventDefault();
                  navigate(item.to);
                }}
              >
                {item.label}
              </a>
            ))}
          </nav>
        )}
        <Space className="wz-user" wrap>
          {props.viewer && <Typography.Text className="wz-name">{props.viewer.user.displayName}</Typography.Text>}
          <Button
            size="small"
            onClick={() => {
              const next = session.language === "en" ? "zh-CN" : "en";
              session.setLanguage(next);
              // signed in, the choice is the account's too: mail to them is then written in it
              if (props.viewer) void setMyLocale({ input: { locale: next === "en" ? "EN" : "ZH_CN" } });
            }}
          >
            {t("lang.switch")}
          </Button>
          {props.viewer && (
            <Button
              size="small"
              onClick={() => {
                void logout({}).finally(() => session.signOut());
              }}
            >
              {t("auth.signOut")}
            </Button>
          )}
        </Space>
      </Layout.Header>
      {/* antd's Layout.Content is the page's one <main> landmark */}
      <Layout.Content className="wz-content">{props.children}</Layout.Content>
    </Layout>
  );
}

function Pages({ viewer }: { viewer: Viewer }) {
  const path = usePath();
  useEffect(() => {
    if (path === "/" || path === "") navigate("/directory");
  }, [path]);
  const merchant = match("/merchants/:id", path);
  if (merchant) return <MerchantPage id={merchant.id!} />;
  const membership = match("/memberships/:id", path);
  if (membership) return <MembershipPage id={membership.id!} />;
  if (path.startsWith("/leads")) return <LeadsPage />;
  if (path.startsWith("/profile")) return <ProfilePage />;
  if (path.startsWith("/members")) return <MembersPage />;
  if (path.startsWith("/formation") && viewer.isFederationStaff) return <FormationPage />;
  if (path.startsWith("/return-investment") && mayReadReturnInvestment(viewer)) return <ReturnInvestmentPage />;
  if (path.startsWith("/delegations") && mayReadDelegations(viewer)) return <DelegationsPage />;
  if (path.startsWith("/leading-geese") && mayReadGeese(viewer)) return <LeadingGeesePage />;
  if (path.startsWith("/gatherings") && mayReadGatherings(viewer)) return <GatheringsPage />;
  if (path.startsWith("/recognition") && mayReadRecognition(viewer)) return <RecognitionPage />;
  if (path.startsWith("/chambers") && viewer.isFederationStaff) return <ChambersPage />;
  if (path.startsWith("/audit") && viewer.isFederationStaff) return <AuditPage />;
  if (path.startsWith("/duplicates") && viewer.isFederationStaff) return <DuplicatesPage />;
  return <DirectoryPage />;
}
