// City staff keep return-investment projects here: create one, move its stage (a reason going back or dropping),
// record arrived capital and reverse a wrong arrival, raise a problem and resolve it. The API's refusals show at
// their fields, in the chosen language; what belongs to no field shows under the form.
import { Card, Form, Input, Space } from "antd";
import { useTranslation } from "react-i18next";
import { useQuery } from "urql";
import { Item, MutationForm } from "../lib/mutation-form";
import { chamberName, district, todayIso } from "../lib/reference";
import { useSession } from "../lib/session";
import { ErrorState, Loading } from "../lib/states";
import {
  ChamberOptionsQuery,
  ChangeInvestmentStageMutation,
  CreateInvestmentProjectMutation,
  InvestmentProjectActionsQuery,
  RaiseInvestmentProblemMutation,
  RecordCapitalArrivalMutation,
  ReverseCapitalArrivalMutation,
  UpdateInvestmentProblemMutation,
} from "../operations";

const STAGES = ["PROMOTED", "NEGOTIATING", "SIGNED", "TO_START", "UNDER_CONSTRUCTION", "IN_OPERATION", "DROPPED"];
const CATEGORIES = ["RETURN_OUTSIDE_PROVINCE", "REAL_ESTATE_OUTSIDE_CITY"];
const PROBLEM_KINDS = ["LAND", "FUNDS", "APPROVAL", "ENVIRONMENT_CAPACITY", "OTHER"];

interface NewProject extends Record<string, unknown> {
  name: string;
  district: string;
  pledged: string;
  promotedOn: string;
  /** The one chamber credited (100 %); the API's credit errors show here. */
  credits: string;
}

export function CreateProjectForm(props: { onChanged(): void }) {
  const { language } = useSession();
  const [chambers] = useQuery({ query: ChamberOptionsQuery });
  const options = (chambers.data?.chambers.edges ?? []).map(({ node }) => ({
    value: node.id,
    label: chamberName(node, language),
  }));
  return (
    <Card size="small">
      <MutationForm<NewProject, unknown>
        name="create-project"
        action="create"
        mutation={CreateInvestmentProjectMutation}
        fields={["name", "district", "pledged", "promotedOn", "credits"]}
        initialValues={{ promotedOn: todayIso() }}
        toInput={(v) => ({
          name: v.name ?? "",
          district: v.district ?? "",
          pledged: v.pledged?.trim() || null,
          promotedOn: v.promotedOn,
          credits: v.credits ? [{ chamberId: v.credits, sharePercent: "100" }] : [],
        })}
        onDone={props.onChanged}
      >
        <Item name="name" label="name" />
        <Item name="district" label="district" options={district.options(language)} />
        <Item name="pledged" label="pledged" type="decimal" />
        <Item name="promotedOn" label="promotedOn" type="date" />
        <Item name="credits" label="creditedChamber" options={options} />
      </MutationForm>
    </Card>
  );
}

/** The changes city staff make to one project (its arrivals and problems read here, for this project alone). */
export function ProjectActions(props: { projectId: string; onChanged(): void }) {
  const { t } = useTranslation();
  const [result, refetch] = useQuery({ query: InvestmentProjectActionsQuery, variables: { id: props.projectId } });
  const node = result.data?.node;
  if (result.error) return <ErrorState error={result.error} retry={() => refetch({ requestPolicy: "network-only" })} />;
  if (node?.__typename !== "InvestmentProject") return <Loading />;
  const p = node;
  const reversed = new Set(p.arrivals.flatMap((a) => (a.reverses ? [a.reverses.id] : [])));
  const reversible = p.arrivals.filter((a) => !a.reverses && !reversed.has(a.id));
  const open = p.problems.filter((q) => q.status === "OPEN");
  const today = todayIso();
  const done = () => {
    refetch({ requestPolicy: "network-only" });
    props.onChanged();
  };
  return (
    <Space wrap align="start" size="large">
      <MutationForm
        name="stage"
        action="moveStage"
        mutation={ChangeInvestmentStageMutation}
        fields={["stage", "on", "reason"]}
        initialValues={{ on: today }}
        toInput={(v: Record<string, unknown>) => ({ projectId: p.id, stage: v.stage, on: v.on, reason: v.reason })}
        onDone={done}
      >
        <Item
          name="stage"
          label="newStage"
          options={STAGES.filter((s) => s !== p.stage).map((s) => ({
            value: s,
            label: t(`returnInvestment.stages.${s}`),
          }))}
        />
        <Item name="on" label="on" type="date" />
        <Item name="reason" label="reason" />
      </MutationForm>
      <MutationForm
        name="arrival"
        action="recordArrival"
        mutation={RecordCapitalArrivalMutation}
        fields={["amount", "arrivedOn", "category"]}
        initialValues={{ arrivedOn: today, category: CATEGORIES[0] }}
        toInput={(v: Record<string, unknown>) => ({
          projectId: p.id,
          amount: String(v.amount ?? "").trim(),
          arrivedOn: v.arrivedOn,
          category: v.category,
        })}
        onDone={done}
      >
        <Item name="amount" label="amount" type="decimal" />
        <Item name="arrivedOn" label="arrivedOn" type="date" />
        <Item
          name="category"
          label="categoryLabel"
          options={CATEGORIES.map((c) => ({ value: c, label: t(`returnInvestment.category.${c}`) }))}
        />
      </MutationForm>
      {reversible.length > 0 && (
        <MutationForm
          name="reversal"
          action="reverse"
          mutation={ReverseCapitalArrivalMutation}
          fields={["arrivalId", "on", "reason"]}
          initialValues={{ on: today }}
          toInput={(v: Record<string, unknown>) => ({ arrivalId: v.arrivalId ?? "", on: v.on, reason: v.reason ?? "" })}
          onDone={done}
        >
          <Item
            name="arrivalId"
            label="arrival"
            options={reversible.map((a) => ({ value: a.id, label: `${a.arrivedOn} ${a.amount}` }))}
          />
          <Item name="on" label="on" type="date" />
          <Item name="reason" label="reason" />
        </MutationForm>
      )}
      <MutationForm
        name="raise-problem"
        action="raiseProblem"
        mutation={RaiseInvestmentProblemMutation}
        fields={["kind", "description", "department", "dueOn"]}
        initialValues={{ kind: "LAND" }}
        toInput={(v: Record<string, unknown>) => ({
          projectId: p.id,
          kind: v.kind,
          description: v.description ?? "",
          department: v.department ?? "",
          dueOn: v.dueOn ?? "",
        })}
        onDone={done}
      >
        <Item
          name="kind"
          label="problemKind"
          options={PROBLEM_KINDS.map((k) => ({ value: k, label: t(`returnInvestment.problemKinds.${k}`) }))}
        />
        <Form.Item label={t("returnInvestment.description")} name="description">
          <Input.TextArea rows={2} />
        </Form.Item>
        <Item name="department" label="department" />
        <Item name="dueOn" label="dueOn" type="date" />
      </MutationForm>
      {open.length > 0 && (
        <MutationForm
          name="resolve-problem"
          action="resolveProblem"
          mutation={UpdateInvestmentProblemMutation}
          fields={["problemId", "resolution", "resolvedOn"]}
          initialValues={{ resolvedOn: today }}
          toInput={(v: Record<string, unknown>) => ({
            problemId: v.problemId ?? "",
            resolution: v.resolution ?? "",
            resolvedOn: v.resolvedOn,
          })}
          onDone={done}
        >
          <Item name="problemId" label="problem" options={open.map((q) => ({ value: q.id, label: q.description }))} />
          <Item name="resolution" label="resolution" />
          <Item name="resolvedOn" label="resolvedOn" type="date" />
        </MutationForm>
      )}
    </Space>
  );
}
