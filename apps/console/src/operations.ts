// Every operation the console sends. The build writes them to dist/trusted-documents.json (see
// vite.config.ts); a test checks the console sends nothing else.
import { graphql } from "./graphql.ts";

const UserErrorFields = graphql(`
  fragment UserErrorFields on UserError {
    field
    message
    code
  }
`);

export const LoginMutation = graphql(
  `
    mutation Login($input: LoginInput!) {
      login(input: $input) {
        token
        userErrors {
          ...UserErrorFields
        }
      }
    }
  `,
  [UserErrorFields],
);

export const AcceptInviteMutation = graphql(
  `
    mutation AcceptInvite($input: AcceptInviteInput!) {
      acceptInvite(input: $input) {
        token
        userErrors {
          ...UserErrorFields
        }
      }
    }
  `,
  [UserErrorFields],
);

export const LogoutMutation = graphql(`
    mutation Logout {
      logout
    }
  `);

export const SetMyLocaleMutation = graphql(`
    mutation SetMyLocale($input: SetMyLocaleInput!) {
      setMyLocale(input: $input) {
        user {
          id
          locale
        }
      }
    }
  `);

export const MeQuery = graphql(`
  query Me {
    me {
      isFederationStaff
      isCityStaff
      user {
        id
        displayName
        email
      }
      chamberRoles {
        role
        chamber {
          id
          name
          nameEn
          kind
        }
      }
    }
  }
`);

export const DirectoryQuery = graphql(`
  query Directory($query: String, $filter: MerchantFilter, $first: Int, $after: String, $last: Int, $before: String) {
    merchants(query: $query, filter: $filter, first: $first, after: $after, last: $last, before: $before) {
      totalCount
      pageInfo {
        hasNextPage
        hasPreviousPage
        startCursor
        endCursor
      }
      edges {
        node {
          id
          name
          nameLatin
          hometownDistrict
          provinceCode
          city
          tags
          companies {
            name
            industry
            role
          }
        }
      }
    }
  }
`);

export const ChamberOptionsQuery = graphql(`
  query ChamberOptions {
    chambers(first: 100) {
      edges {
        node {
          id
          name
          nameEn
          kind
          provinceCode
        }
      }
    }
  }
`);

export const MerchantQuery = graphql(`
  query Merchant($id: ID!) {
    node(id: $id) {
      __typename
      ... on Merchant {
        id
        name
        nameLatin
        mobile
        landline
        email
        wechat
        hometownDistrict
        provinceCode
        city
        countryCode
        tags
        companies {
          name
          industry
          role
          size
          creditCode
        }
        memberships {
          id
          level
          status
          chamber {
            id
            name
            nameEn
          }
        }
      }
    }
  }
`);

const LeadFields = graphql(`
  fragment LeadFields on Lead {
    id
    title
    kind
    visibility
    status
    amount
    expiresOn
    createdAt
    industry
    provinceCode
    viewerCanManage
    chamber {
      id
      name
      nameEn
    }
    postedBy {
      id
      name
    }
  }
`);

export const LeadsQuery = graphql(
  `
    query Leads($filter: LeadFilter, $first: Int, $after: String, $last: Int, $before: String) {
      leads(filter: $filter, first: $first, after: $after, last: $last, before: $before) {
        totalCount
        pageInfo {
          hasNextPage
          hasPreviousPage
          startCursor
          endCursor
        }
        edges {
          node {
            ...LeadFields
          }
        }
      }
    }
  `,
  [LeadFields],
);

export const LeadPostedSubscription = graphql(
  `
    subscription LeadPosted($after: String, $filter: LeadFilter) {
      leadPosted(after: $after, filter: $filter) {
        eventCursor
        ...LeadFields
      }
    }
  `,
  [LeadFields],
);

export const LeadQuery = graphql(
  `
    query Lead($id: ID!) {
      node(id: $id) {
        __typename
        ... on Lead {
          ...LeadFields
          description
          closedValue
          closedAt
          selectedChambers {
            id
            name
            nameEn
          }
          responses {
            id
            kind
            message
            createdAt
            responder {
              id
              name
            }
            referredMerchant {
              id
              name
            }
          }
        }
      }
    }
  `,
  [LeadFields],
);

export const PostLeadMutation = graphql(
  `
    mutation PostLead($input: PostLeadInput!) {
      postLead(input: $input) {
        lead {
          ...LeadFields
        }
        userErrors {
          ...UserErrorFields
        }
      }
    }
  `,
  [LeadFields, UserErrorFields],
);

export const RespondToLeadMutation = graphql(
  `
    mutation RespondToLead($input: RespondToLeadInput!) {
      respondToLead(input: $input) {
        response {
          id
        }
        userErrors {
          ...UserErrorFields
        }
      }
    }
  `,
  [UserErrorFields],
);

export const UpdateLeadStatusMutation = graphql(
  `
    mutation UpdateLeadStatus($input: UpdateLeadStatusInput!) {
      updateLeadStatus(input: $input) {
        lead {
          id
          status
          closedValue
        }
        userErrors {
          ...UserErrorFields
        }
      }
    }
  `,
  [UserErrorFields],
);

export const FormationQuery = graphql(`
  query Formation {
    formationProgress {
      target
      deadline
      founded
      byStatus {
        status
        count
      }
      forecast {
        asOf
        forecastDate
        onTrack
        remaining
        foundedLast12Months
      }
    }
    provinces {
      code
      name
      nameEn
      formationStatus
      behindSchedule
      reachedOn
      nextPlannedStep {
        status
        targetOn
      }
      formationHistory {
        toStatus
        reachedOn
      }
    }
  }
`);

export const ProvinceQuery = graphql(`
  query Province {
    provinces {
      code
      name
      nameEn
      formationStatus
      behindSchedule
      reachedOn
      responsible {
        id
        displayName
      }
      nextPlannedStep {
        status
        targetOn
      }
      formationPlan {
        status
        targetOn
      }
      formationHistory {
        fromStatus
        toStatus
        reachedOn
        note
        reason
        recordedAt
        recordedBy {
          id
          displayName
        }
      }
      chamber {
        id
        name
        status
        checklist {
          item
          label
          phase
          done
          doneOn
          note
          value
          valueLabel
        }
      }
    }
  }
`);

export const AdvanceFormationMutation = graphql(
  `
    mutation AdvanceFormation($input: AdvanceFormationInput!) {
      advanceFormation(input: $input) {
        province {
          code
          formationStatus
          behindSchedule
          reachedOn
        }
        userErrors {
          ...UserErrorFields
        }
      }
    }
  `,
  [UserErrorFields],
);

export const UpdateChecklistItemMutation = graphql(
  `
    mutation UpdateChecklistItem($input: UpdateChecklistItemInput!) {
      updateChecklistItem(input: $input) {
        item {
          item
          done
          doneOn
        }
        userErrors {
          ...UserErrorFields
        }
      }
    }
  `,
  [UserErrorFields],
);

const MembershipRow = graphql(`
  fragment MembershipRow on Membership {
    id
    level
    status
    joinedOn
    expiresOn
    appliedAt
    merchant {
      id
      name
      nameLatin
      mobile
    }
    duesStatus {
      amountOwed
      annualFee
      paidThrough
      yearsOverdue
    }
  }
`);

export const MembersQuery = graphql(
  `
    query Members(
      $chamberId: ID!
      $filter: MemberFilter
      $orderBy: MemberOrder
      $first: Int
      $after: String
      $last: Int
      $before: String
    ) {
      node(id: $chamberId) {
        __typename
        ... on Chamber {
          id
          name
          members(filter: $filter, orderBy: $orderBy, first: $first, after: $after, last: $last, before: $before) {
            totalCount
            pageInfo {
              hasNextPage
              hasPreviousPage
              startCursor
              endCursor
            }
            edges {
              node {
                ...MembershipRow
              }
            }
          }
        }
      }
    }
  `,
  [MembershipRow],
);

export const MembershipQuery = graphql(
  `
    query Membership($id: ID!) {
      node(id: $id) {
        __typename
        ... on Membership {
          ...MembershipRow
          statusReason
          chamber {
            id
            name
            nameEn
          }
          duesPayments {
            amount
            paidOn
            periodStart
            periodEnd
            receiptNo
            method
          }
          notes {
            authorName
            body
            createdAt
          }
        }
      }
    }
  `,
  [MembershipRow],
);

export const DecideMembershipMutation = graphql(
  `
    mutation DecideMembership($input: DecideMembershipInput!) {
      decideMembership(input: $input) {
        membership {
          id
          status
          level
        }
        userErrors {
          ...UserErrorFields
        }
      }
    }
  `,
  [UserErrorFields],
);

export const RecordDuesMutation = graphql(
  `
    mutation RecordDues($input: RecordDuesPaymentInput!) {
      recordDuesPayment(input: $input) {
        membership {
          id
          status
          expiresOn
        }
        userErrors {
          ...UserErrorFields
        }
      }
    }
  `,
  [UserErrorFields],
);

export const AddNoteMutation = graphql(
  `
    mutation AddNote($input: AddMembershipNoteInput!) {
      addMembershipNote(input: $input) {
        note {
          body
        }
        userErrors {
          ...UserErrorFields
        }
      }
    }
  `,
  [UserErrorFields],
);

export const ImportMembersMutation = graphql(
  `
    mutation ImportMembers($input: ImportMembersInput!) {
      importMembers(input: $input) {
        dryRun
        format
        encoding
        sheet
        headerLine
        columns {
          position
          header
          field
        }
        rows
        created
        matched
        updated
        unchanged
        failed
        lines {
          line
          action
          name
        }
        userErrors {
          ...UserErrorFields
        }
        warnings {
          ...UserErrorFields
        }
      }
    }
  `,
  [UserErrorFields],
);

export const ExportMembersQuery = graphql(`
  query ExportMembers($input: ExportMembersInput!) {
    exportMembers(input: $input) {
      filename
      contentType
      content
      rowCount
      format
    }
  }
`);

export const InviteUserMutation = graphql(
  `
    mutation InviteUser($input: InviteUserInput!) {
      inviteUser(input: $input) {
        inviteToken
        userErrors {
          ...UserErrorFields
        }
      }
    }
  `,
  [UserErrorFields],
);

const ChamberFormFields = graphql(`
  fragment ChamberFormFields on Chamber {
    id
    name
    nameEn
    kind
    slug
    provinceCode
    city
    countryCode
    status
  }
`);

export const ChamberTreeQuery = graphql(
  `
  query ChamberTree {
    federation {
      ...ChamberFormFields
      rollup {
        year
        chamberCount
        own {
          activeMembers
          newMembersThisYear
          leadsPostedThisYear
          closedValueThisYear
        }
        total {
          activeMembers
          newMembersThisYear
          leadsPostedThisYear
          closedValueThisYear
        }
      }
      children {
        ...ChamberFormFields
        rollup {
          total {
            activeMembers
            newMembersThisYear
            leadsPostedThisYear
            closedValueThisYear
          }
        }
        children {
          ...ChamberFormFields
          rollup {
            total {
              activeMembers
              newMembersThisYear
              leadsPostedThisYear
              closedValueThisYear
            }
          }
        }
      }
    }
  }
`,
  [ChamberFormFields],
);

export const CreateChamberMutation = graphql(
  `
    mutation CreateChamber($input: CreateChamberInput!) {
      createChamber(input: $input) {
        chamber {
          ...ChamberFormFields
        }
        userErrors {
          ...UserErrorFields
        }
      }
    }
  `,
  [ChamberFormFields, UserErrorFields],
);

export const UpdateChamberMutation = graphql(
  `
    mutation UpdateChamber($input: UpdateChamberInput!) {
      updateChamber(input: $input) {
        chamber {
          ...ChamberFormFields
        }
        userErrors {
          ...UserErrorFields
        }
      }
    }
  `,
  [ChamberFormFields, UserErrorFields],
);

export const AuditLogQuery = graphql(`
  query AuditLog($first: Int, $after: String, $last: Int, $before: String) {
    auditLog(first: $first, after: $after, last: $last, before: $before) {
      totalCount
      pageInfo {
        hasNextPage
        hasPreviousPage
        startCursor
        endCursor
      }
      edges {
        node {
          id
          action
          at
          entityType
          entityId
          withheld
          actor {
            id
            displayName
          }
          chamber {
            id
            name
          }
        }
      }
    }
  }
`);

const MyProfileFields = graphql(`
  fragment MyProfileFields on Merchant {
    id
    name
    nameLatin
    mobile
    landline
    email
    wechat
    contactVisibility {
      mobile
      landline
      email
      wechat
    }
  }
`);

export const MyProfileQuery = graphql(
  `
    query MyProfile {
      me {
        merchant {
          ...MyProfileFields
          memberships {
            id
            level
            status
            chamber {
              id
              name
              nameEn
            }
          }
        }
        membershipProposals {
          id
          level
          chamber {
            id
            name
            nameEn
          }
        }
      }
    }
  `,
  [MyProfileFields],
);

export const UpdateMyProfileMutation = graphql(
  `
    mutation UpdateMyProfile($input: UpdateMyProfileInput!) {
      updateMyProfile(input: $input) {
        merchant {
          ...MyProfileFields
        }
        userErrors {
          ...UserErrorFields
        }
      }
    }
  `,
  [MyProfileFields, UserErrorFields],
);

export const AnswerProposalMutation = graphql(
  `
    mutation AnswerProposal($input: AnswerMembershipProposalInput!) {
      answerMembershipProposal(input: $input) {
        membership {
          id
          status
          awaitingConsent
        }
        userErrors {
          ...UserErrorFields
        }
      }
    }
  `,
  [UserErrorFields],
);

export const ChangeMembershipLevelMutation = graphql(
  `
    mutation ChangeMembershipLevel($input: ChangeMembershipLevelInput!) {
      changeMembershipLevel(input: $input) {
        membership {
          id
          level
          statusReason
        }
        userErrors {
          ...UserErrorFields
        }
      }
    }
  `,
  [UserErrorFields],
);

export const ChangeMembershipStatusMutation = graphql(
  `
    mutation ChangeMembershipStatus($input: ChangeMembershipStatusInput!) {
      changeMembershipStatus(input: $input) {
        membership {
          id
          status
          statusReason
        }
        userErrors {
          ...UserErrorFields
        }
      }
    }
  `,
  [UserErrorFields],
);

export const FeeScheduleQuery = graphql(`
  query FeeSchedule($id: ID!) {
    node(id: $id) {
      __typename
      ... on Chamber {
        id
        feeSchedule {
          level
          annualFee
        }
      }
    }
  }
`);

export const ReturnInvestmentProgressQuery = graphql(`
  query ReturnInvestmentProgress($year: Int!, $asOf: Date) {
    returnInvestmentProgress(year: $year, asOf: $asOf) {
      year
      asOf
      target
      arrived
      percentOfTarget
      byCategory {
        category
        arrived
        previousYearSamePeriod
        growthPercent
      }
      byDistrict {
        districtCode
        target
        arrived
        percentOfTarget
      }
    }
  }
`);

export const SetFeeScheduleMutation = graphql(
  `
    mutation SetFeeSchedule($input: SetFeeScheduleInput!) {
      setFeeSchedule(input: $input) {
        fees {
          level
          annualFee
        }
        userErrors {
          ...UserErrorFields
        }
      }
    }
  `,
  [UserErrorFields],
);

export const InvestmentProjectsQuery = graphql(`
  query InvestmentProjects($first: Int, $after: String) {
    investmentProjects(first: $first, after: $after) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          id
          name
          stage
          district
          pledged
          arrived
          keyProject
          credits {
            sharePercent
            validTo
            chamber {
              id
              name
              nameEn
            }
          }
        }
      }
    }
  }
`);

export const FormationChangedSubscription = graphql(`
  subscription FormationChanged {
    formationChanged {
      code
      formationStatus
      behindSchedule
      reachedOn
    }
  }
`);

export const PlanFormationMutation = graphql(
  `
    mutation PlanFormation($input: PlanFormationInput!) {
      planFormation(input: $input) {
        province {
          code
          behindSchedule
          nextPlannedStep {
            status
            targetOn
          }
          formationPlan {
            status
            targetOn
          }
        }
        userErrors {
          ...UserErrorFields
        }
      }
    }
  `,
  [UserErrorFields],
);

const DuplicateMerchantFields = graphql(`
  fragment DuplicateMerchantFields on Merchant {
    id
    name
    mobile
    email
    hometownDistrict
    companies {
      id
      name
    }
  }
`);

export const PossibleDuplicatesQuery = graphql(
  `
    query PossibleDuplicates($first: Int, $after: String) {
      possibleDuplicates(first: $first, after: $after) {
        totalCount
        pageInfo {
          hasNextPage
          endCursor
        }
        edges {
          cursor
          node {
            reasons
            merchants {
              ...DuplicateMerchantFields
            }
          }
        }
      }
    }
  `,
  [DuplicateMerchantFields],
);

export const MergeMerchantsMutation = graphql(
  `
    mutation MergeMerchants($input: MergeMerchantsInput!) {
      mergeMerchants(input: $input) {
        merchant {
          id
          name
        }
        membershipConflicts {
          chamber {
            id
            name
          }
          removedLevel
          removedStatus
        }
        userErrors {
          ...UserErrorFields
        }
      }
    }
  `,
  [UserErrorFields],
);

export const InvestmentProjectActionsQuery = graphql(`
  query InvestmentProjectActions($id: ID!) {
    node(id: $id) {
      __typename
      ... on InvestmentProject {
        id
        stage
        arrivals {
          id
          amount
          arrivedOn
          reverses {
            id
          }
        }
        problems {
          id
          description
          status
        }
      }
    }
  }
`);

export const CreateInvestmentProjectMutation = graphql(
  `
    mutation CreateInvestmentProject($input: CreateInvestmentProjectInput!) {
      createInvestmentProject(input: $input) {
        project {
          id
        }
        userErrors {
          ...UserErrorFields
        }
      }
    }
  `,
  [UserErrorFields],
);

export const ChangeInvestmentStageMutation = graphql(
  `
    mutation ChangeInvestmentStage($input: ChangeInvestmentStageInput!) {
      changeInvestmentStage(input: $input) {
        project {
          id
          stage
          stageOn
        }
        userErrors {
          ...UserErrorFields
        }
      }
    }
  `,
  [UserErrorFields],
);

export const RecordCapitalArrivalMutation = graphql(
  `
    mutation RecordCapitalArrival($input: RecordCapitalArrivalInput!) {
      recordCapitalArrival(input: $input) {
        arrival {
          id
        }
        userErrors {
          ...UserErrorFields
        }
      }
    }
  `,
  [UserErrorFields],
);

export const ReverseCapitalArrivalMutation = graphql(
  `
    mutation ReverseCapitalArrival($input: ReverseCapitalArrivalInput!) {
      reverseCapitalArrival(input: $input) {
        arrival {
          id
        }
        userErrors {
          ...UserErrorFields
        }
      }
    }
  `,
  [UserErrorFields],
);

export const RaiseInvestmentProblemMutation = graphql(
  `
    mutation RaiseInvestmentProblem($input: RaiseInvestmentProblemInput!) {
      raiseInvestmentProblem(input: $input) {
        problem {
          id
        }
        userErrors {
          ...UserErrorFields
        }
      }
    }
  `,
  [UserErrorFields],
);

export const UpdateInvestmentProblemMutation = graphql(
  `
    mutation UpdateInvestmentProblem($input: UpdateInvestmentProblemInput!) {
      updateInvestmentProblem(input: $input) {
        problem {
          id
          status
        }
        userErrors {
          ...UserErrorFields
        }
      }
    }
  `,
  [UserErrorFields],
);

// Delegations home, the leading geese, gatherings and recognition (pages/delegations.tsx, leading-geese.tsx,
// gatherings.tsx, recognition.tsx).

const DelegationFields = graphql(`
  fragment DelegationFields on Delegation {
    id
    title
    status
    startsOn
    endsOn
    notes
    cancelReason
    chambers {
      id
      name
      nameEn
    }
    participants {
      chamber {
        id
      }
      merchant {
        id
        name
      }
    }
    visits {
      place
      company
      visitedOn
    }
    cityContacts {
      userId
      displayName
    }
    agreements {
      title
      pledged
      signedOn
    }
  }
`);

// The list reads what its table shows (a delegation's people, visits and results are read when it is opened:
// 50 of each on a page would pass the query cost limit).
export const DelegationsQuery = graphql(`
  query Delegations($filter: DelegationFilter, $first: Int, $after: String) {
    delegations(filter: $filter, first: $first, after: $after) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          id
          title
          status
          startsOn
          endsOn
          chambers {
            id
            name
            nameEn
          }
        }
      }
    }
  }
`);

export const DelegationQuery = graphql(
  `
    query Delegation($id: ID!) {
      node(id: $id) {
        __typename
        ... on Delegation {
          ...DelegationFields
        }
      }
    }
  `,
  [DelegationFields],
);

export const DelegationActivityQuery = graphql(`
  query DelegationActivity($year: Int!) {
    delegationActivity(year: $year) {
      year
      total
      goalPerMonth
      monthsUnderGoal
      byMonth {
        month
        count
        underGoal
        participants
        agreements
        pledged
        projectsSigned
      }
    }
  }
`);

export const CityContactOptionsQuery = graphql(`
  query CityContactOptions {
    leadingGooseCoverage {
      leaders {
        leader {
          userId
          displayName
        }
      }
    }
  }
`);

export const CreateDelegationMutation = graphql(
  `
    mutation CreateDelegation($input: CreateDelegationInput!) {
      createDelegation(input: $input) {
        delegation {
          ...DelegationFields
        }
        userErrors {
          ...UserErrorFields
        }
      }
    }
  `,
  [DelegationFields, UserErrorFields],
);

export const UpdateDelegationMutation = graphql(
  `
    mutation UpdateDelegation($input: UpdateDelegationInput!) {
      updateDelegation(input: $input) {
        delegation {
          ...DelegationFields
        }
        userErrors {
          ...UserErrorFields
        }
      }
    }
  `,
  [DelegationFields, UserErrorFields],
);

export const ConfirmDelegationMutation = graphql(
  `
    mutation ConfirmDelegation($input: ConfirmDelegationInput!) {
      confirmDelegation(input: $input) {
        delegation {
          ...DelegationFields
        }
        userErrors {
          ...UserErrorFields
        }
      }
    }
  `,
  [DelegationFields, UserErrorFields],
);

export const CompleteDelegationMutation = graphql(
  `
    mutation CompleteDelegation($input: CompleteDelegationInput!) {
      completeDelegation(input: $input) {
        delegation {
          ...DelegationFields
        }
        userErrors {
          ...UserErrorFields
        }
      }
    }
  `,
  [DelegationFields, UserErrorFields],
);

/** The projects a delegation's results may move on (city staff): those not yet signed. */
export const DelegationProjectOptionsQuery = graphql(`
  query DelegationProjectOptions {
    investmentProjects(first: 100, filter: { stages: [PROMOTED, NEGOTIATING] }) {
      edges {
        node {
          id
          name
          stage
        }
      }
    }
  }
`);

export const CancelDelegationMutation = graphql(
  `
    mutation CancelDelegation($input: CancelDelegationInput!) {
      cancelDelegation(input: $input) {
        delegation {
          ...DelegationFields
        }
        userErrors {
          ...UserErrorFields
        }
      }
    }
  `,
  [DelegationFields, UserErrorFields],
);

export const LeadingGooseCoverageQuery = graphql(`
  query LeadingGooseCoverage {
    leadingGooseCoverage {
      asOf
      cap
      contactWindowDays
      geeseCount
      geese {
        merchant {
          id
          name
        }
        leader {
          userId
          displayName
        }
        lastContactOn
        contactedRecently
        projects
        arrived
      }
      leaders {
        leader {
          userId
          displayName
        }
        geese
        withinRange
      }
    }
  }
`);

export const SetLeadingGooseMutation = graphql(
  `
    mutation SetLeadingGoose($input: SetLeadingGooseInput!) {
      setLeadingGoose(input: $input) {
        merchant {
          id
          tags
        }
        userErrors {
          ...UserErrorFields
        }
      }
    }
  `,
  [UserErrorFields],
);

export const LinkGooseToLeaderMutation = graphql(
  `
    mutation LinkGooseToLeader($input: LinkGooseToLeaderInput!) {
      linkGooseToLeader(input: $input) {
        merchant {
          id
        }
        userErrors {
          ...UserErrorFields
        }
      }
    }
  `,
  [UserErrorFields],
);

export const RecordGooseContactMutation = graphql(
  `
    mutation RecordGooseContact($input: RecordGooseContactInput!) {
      recordGooseContact(input: $input) {
        contact {
          id
        }
        userErrors {
          ...UserErrorFields
        }
      }
    }
  `,
  [UserErrorFields],
);

const GatheringFields = graphql(`
  fragment GatheringFields on Gathering {
    id
    title
    kind
    status
    heldOn
    place
    cancelReason
    chamber {
      id
      name
      nameEn
      kind
    }
    invitations {
      merchant {
        id
        name
      }
      rsvp
      attended
    }
  }
`);

export const GatheringsQuery = graphql(
  `
    query Gatherings($filter: GatheringFilter, $first: Int, $after: String) {
      gatherings(filter: $filter, first: $first, after: $after) {
        totalCount
        pageInfo {
          hasNextPage
          endCursor
        }
        edges {
          node {
            ...GatheringFields
          }
        }
      }
    }
  `,
  [GatheringFields],
);

export const CreateGatheringMutation = graphql(
  `
    mutation CreateGathering($input: CreateGatheringInput!) {
      createGathering(input: $input) {
        gathering {
          ...GatheringFields
        }
        userErrors {
          ...UserErrorFields
        }
      }
    }
  `,
  [GatheringFields, UserErrorFields],
);

export const InviteToGatheringMutation = graphql(
  `
    mutation InviteToGathering($input: InviteToGatheringInput!) {
      inviteToGathering(input: $input) {
        invited
        gathering {
          ...GatheringFields
        }
        userErrors {
          ...UserErrorFields
        }
      }
    }
  `,
  [GatheringFields, UserErrorFields],
);

export const AnswerGatheringInvitationMutation = graphql(
  `
    mutation AnswerGatheringInvitation($input: AnswerGatheringInvitationInput!) {
      answerGatheringInvitation(input: $input) {
        gathering {
          ...GatheringFields
        }
        userErrors {
          ...UserErrorFields
        }
      }
    }
  `,
  [GatheringFields, UserErrorFields],
);

export const RecordGatheringAttendanceMutation = graphql(
  `
    mutation RecordGatheringAttendance($input: RecordGatheringAttendanceInput!) {
      recordGatheringAttendance(input: $input) {
        gathering {
          ...GatheringFields
        }
        userErrors {
          ...UserErrorFields
        }
      }
    }
  `,
  [GatheringFields, UserErrorFields],
);

export const CancelGatheringMutation = graphql(
  `
    mutation CancelGathering($input: CancelGatheringInput!) {
      cancelGathering(input: $input) {
        gathering {
          ...GatheringFields
        }
        userErrors {
          ...UserErrorFields
        }
      }
    }
  `,
  [GatheringFields, UserErrorFields],
);

const NominationFields = graphql(`
  fragment NominationFields on RecognitionNomination {
    id
    year
    status
    reason
    decisionNote
    decidedAt
    chamber {
      id
      name
      nameEn
    }
    merchant {
      id
      name
    }
  }
`);

export const RecognitionNominationsQuery = graphql(
  `
    query RecognitionNominations($year: Int!, $status: [RecognitionStatus!], $first: Int, $after: String) {
      recognitionNominations(year: $year, status: $status, first: $first, after: $after) {
        totalCount
        pageInfo {
          hasNextPage
          endCursor
        }
        edges {
          node {
            ...NominationFields
          }
        }
      }
    }
  `,
  [NominationFields],
);

export const NominateForRecognitionMutation = graphql(
  `
    mutation NominateForRecognition($input: NominateForRecognitionInput!) {
      nominateForRecognition(input: $input) {
        nomination {
          ...NominationFields
        }
        userErrors {
          ...UserErrorFields
        }
      }
    }
  `,
  [NominationFields, UserErrorFields],
);

export const DecideRecognitionMutation = graphql(
  `
    mutation DecideRecognition($input: DecideRecognitionInput!) {
      decideRecognition(input: $input) {
        nomination {
          ...NominationFields
        }
        userErrors {
          ...UserErrorFields
        }
      }
    }
  `,
  [NominationFields, UserErrorFields],
);
