//! Wire types: what crosses between server and browser. Never a database model.

use serde::{Deserialize, Serialize};

use crate::domain::{AssessmentMove, AssessmentState, Level};

pub use crate::domain::audit::AuditEntry;
pub use crate::domain::import::{ImportCounts, ImportKind, ImportReport, RowError};
pub use crate::domain::vocab::{
    DataSource, KrKind, OfficialCategory, OfficialStatus, OrgUnit, UnitKind,
};

/// The signed-in person, for the header and the navigation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Me {
    pub username: String,
    pub display_name: String,
    pub official_id: Option<i64>,
    /// Role codes with the name of their scope unit.
    pub roles: Vec<(String, String)>,
    /// Whether any grant lets them read the audit trail.
    pub can_audit: bool,
    /// Whether any grant lets them administer accounts.
    pub can_admin: bool,
    /// Whether they read whole units (and so may compare them).
    pub can_compare: bool,
    /// Whether they may score or approve somewhere (and so have a review queue).
    pub can_review: bool,
    /// Whether they decide on people (the in – out – up – down board).
    pub can_decide: bool,
}

/// An official in a list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OfficialRow {
    pub id: i64,
    pub personnel_code: String,
    pub full_name: String,
    pub job_position: String,
    pub unit_name: String,
}

/// A page of the officials list: the rows shown and how many matched in all.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OfficialList {
    pub rows: Vec<OfficialRow>,
    pub total: usize,
}

/// One assessment of an official, with what the viewer may do to it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AssessmentRow {
    pub id: i64,
    pub cycle_code: String,
    pub score: Option<f64>,
    /// The engine's level for the score (what a proposal follows unless a reason is given).
    pub engine_level: Option<Level>,
    pub proposed_level: Option<Level>,
    pub approved_level: Option<Level>,
    pub state: AssessmentState,
    /// Why the last decision departs from the level it should follow.
    pub level_reason: Option<String>,
    /// Why the assessment was returned for revision.
    pub return_reason: Option<String>,
    /// Whether the engine's explanation is stored (the explanation page has something).
    pub has_explanation: bool,
    pub version: i32,
    /// Whether the cycle is closed (its level no longer changes).
    pub cycle_closed: bool,
    /// The moves the state machine allows now (the viewer's rights are separate).
    pub moves: Vec<AssessmentMove>,
}

pub use crate::domain::task_results::Progress;

/// One assessment with its explanation, for the explanation page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AssessmentDetail {
    pub official_id: i64,
    pub official_name: String,
    pub unit_name: String,
    pub row: AssessmentRow,
    /// The cycle's scheme (the browser previews points with its rules).
    pub scheme_id: String,
    /// The engine's explanation tree (`None` when nothing was scored).
    pub explanation: Option<crate::domain::Node>,
    /// The scheme's general criteria with the points given on each.
    pub criteria: Vec<CriterionPoints>,
    pub products: Vec<ProductCounts>,
    /// The official's objectives and key results in the period.
    pub plan: PlanView,
    pub may: SheetRights,
}

pub use crate::domain::plan::{KeyResultDraft, ObjectiveDraft, WeightSum};

/// An official's objectives in a period, and what their weights add up to.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlanView {
    pub objectives: Vec<ObjectiveView>,
    pub weights: WeightSum,
}

/// One objective with its key results, and what their weights add up to.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ObjectiveView {
    pub id: i64,
    pub version: i32,
    pub title: String,
    /// Its weight in the period (a share, 0–1).
    pub weight: f64,
    pub key_results: Vec<KeyResultView>,
    pub weights: WeightSum,
}

/// One key result with its check-ins, oldest first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct KeyResultView {
    pub id: i64,
    pub version: i32,
    pub code: String,
    pub title: String,
    pub kind: KrKind,
    pub start: f64,
    pub target: f64,
    pub band_low: Option<f64>,
    pub band_high: Option<f64>,
    pub current: f64,
    /// Its weight in the objective (a share, 0–1).
    pub weight: f64,
    pub unit_of_measure: String,
    /// Fed by a metric rather than by check-ins.
    pub from_metric: bool,
    pub check_ins: Vec<CheckInView>,
}

/// One check-in as its history shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CheckInView {
    pub at: chrono::DateTime<chrono::Utc>,
    pub value: f64,
    pub confidence: i16,
    pub note: String,
    pub evidence_url: Option<String>,
}

/// One general criterion of an assessment: its maximum, the official's own points and the
/// reviewer's, each with a comment.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CriterionPoints {
    pub id: String,
    pub group: String,
    pub max_points: f64,
    pub self_points: Option<f64>,
    pub self_comment: Option<String>,
    pub reviewer_points: Option<f64>,
    pub reviewer_comment: Option<String>,
}

/// One product of an assessment with its counts and waiver reference.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProductCounts {
    pub id: i64,
    pub version: i32,
    pub code: String,
    pub title: String,
    pub assigned: i32,
    pub counts: Progress,
    pub waiver_ref: Option<String>,
    pub due_on: Option<chrono::NaiveDate>,
}

pub use crate::domain::lifecycle::SheetRights;

/// One key result of an official.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct KeyResultRow {
    pub id: i64,
    pub title: String,
    pub current_value: f64,
    pub target_value: f64,
    pub unit_of_measure: String,
    /// Whether the key result's cycle is closed (no more check-ins).
    pub cycle_closed: bool,
}

/// An official's page: who they are, their key results and assessments, and which actions
/// the viewer may take.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OfficialDetail {
    pub official: OfficialRow,
    pub key_results: Vec<KeyResultRow>,
    pub assessments: Vec<AssessmentRow>,
    pub may_check_in: bool,
    pub may_score: bool,
    pub may_approve: bool,
}

/// A role an account holds, as an administrator sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GrantRow {
    pub role: String,
    pub unit_id: i64,
    pub unit_name: String,
}

/// An account, as an administrator sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountRow {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    /// The official's name and personnel code, when the account belongs to one.
    pub official: Option<String>,
    /// The official's unit, or the units of the grants.
    pub unit_name: String,
    pub is_active: bool,
    pub is_demo: bool,
    pub version: i32,
    pub grants: Vec<GrantRow>,
    /// The caller's own account (nobody administers their own).
    pub mine: bool,
    /// No password yet: its owner has not used their one-time link.
    pub awaiting_password: bool,
}

/// A one-time link to set an account's password, shown once to the administrator who made it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SetupLink {
    pub username: String,
    /// The token of the link `/setup/{token}` (64 hexadecimal digits).
    pub token: String,
}

impl SetupLink {
    /// The link's path.
    pub fn path(&self) -> String {
        format!("/setup/{}", self.token)
    }

    /// The accounts page showing this link, for a form posted without JavaScript.
    pub fn page(&self) -> String {
        format!("/accounts?q={}&setup={}", self.username, self.token)
    }
}

/// Whether `token` has the shape of a link's token (so that an address cannot make the
/// accounts page show some other text as a link).
pub fn is_token(token: &str) -> bool {
    token.len() == 64 && token.bytes().all(|b| b.is_ascii_hexdigit())
}

/// The accounts page: the accounts shown, how many matched, and the units the caller may
/// grant roles over.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountsView {
    pub rows: Vec<AccountRow>,
    pub total: usize,
    pub units: Vec<(i64, String)>,
}

/// One of my sign-in sessions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionRow {
    /// UTC, to the minute.
    pub created_at: String,
    pub last_seen_at: String,
    pub ip: Option<String>,
    pub user_agent: Option<String>,
    /// The session of this request.
    pub current: bool,
}

pub use crate::domain::deadline::{Due, NextStep, Turn};

/// How the review queue is asked for: every field optional, as a GET form sends it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueueQuery {
    /// An assessment state code, `all`, or nothing for the default (self-assessed: waiting
    /// for a reviewer's score).
    pub state: Option<String>,
    /// A cycle id, or nothing for every open cycle.
    pub cycle: Option<i64>,
    /// Text to find in the name, personnel code or unit.
    pub q: Option<String>,
    /// `deadline` (default), `name`, `score` or `self`.
    pub sort: Option<String>,
    /// 1-based page number.
    pub page: Option<u64>,
}

/// One assessment in the review queue.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QueueRow {
    pub assessment_id: i64,
    pub official_id: i64,
    pub full_name: String,
    pub personnel_code: String,
    pub unit_name: String,
    pub cycle_code: String,
    pub state: AssessmentState,
    /// Whose turn it is, by when, and how near that is (`None` once approved).
    pub next: Option<NextStep>,
    pub self_points: Option<f64>,
    pub score: Option<f64>,
    pub engine_level: Option<Level>,
}

/// A cycle one may filter by.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CycleOption {
    pub id: i64,
    pub code: String,
}

/// A page of the review queue.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReviewQueue {
    pub rows: Vec<QueueRow>,
    /// How many assessments match in all.
    pub total: u64,
    /// The page shown (1-based) and how many there are.
    pub page: u64,
    pub pages: u64,
    pub cycles: Vec<CycleOption>,
}

/// One thing due from the signed-in person, for their home page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum ToDoItem {
    /// Their own self-assessment of a cycle (`returned`: sent back for revision).
    OwnAssessment {
        /// Its sheet.
        assessment_id: i64,
        cycle: String,
        returned: bool,
        due: chrono::NaiveDate,
        nearness: Due,
    },
    /// Assessments waiting for their score (`Reviewer`) or approval (`Approver`).
    Waiting {
        turn: Turn,
        count: u64,
        overdue: u64,
        nearest: chrono::NaiveDate,
    },
    /// Officials of their units whose self-assessment is past its deadline.
    NotSubmitted { count: u64 },
}

pub use crate::domain::CycleState;
pub use crate::domain::deadline::{Deadlines, Overrides};

/// A cycle on the cycles page, with the moves its state allows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CycleRow {
    pub id: i64,
    pub code: String,
    pub scheme_id: String,
    /// `month`, `quarter` or `year`.
    pub period_kind: String,
    pub starts_on: chrono::NaiveDate,
    pub ends_on: chrono::NaiveDate,
    pub state: CycleState,
    pub version: i32,
    pub deadlines: Option<Deadlines>,
    /// Which deadlines are the cycle's own rather than the legal defaults.
    pub own_deadlines: Overrides,
    /// The state one step forward, if any.
    pub next: Option<CycleState>,
}

/// A product to assign to many officials, as its form sends it (`product[code]`, …).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProductTemplate {
    pub code: String,
    pub title: String,
    pub assigned: i32,
    pub weight: f64,
    /// `YYYY-MM-DD`, or empty for none.
    #[serde(default)]
    pub due_on: String,
}

/// What assigning a product or a key result to many officials came to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct AssignResult {
    /// The officials the assignment reaches.
    pub matched: u64,
    /// How many got it (or would, in a dry run); the others had it already.
    pub created: u64,
    pub dry_run: bool,
    /// A key result (else a product).
    pub key_result: bool,
    /// Assigned from a saved template (its answer shows beside the templates).
    #[serde(default)]
    pub from_template: bool,
}

impl AssignResult {
    /// The cycles page showing this result, for a form posted without JavaScript.
    pub fn page(&self) -> String {
        format!(
            "/cycles?matched={}&created={}&trial={}&what={}{}",
            self.matched,
            self.created,
            self.dry_run,
            if self.key_result { "kr" } else { "product" },
            if self.from_template {
                "&via=template"
            } else {
                ""
            }
        )
    }

    /// The result a cycles page's address shows (`page`) for the forms of `place`, if it
    /// shows one: `[matched, created, trial, what, via]`.
    pub fn from_page(query: [Option<&str>; 5], place: AssignPlace) -> Option<Self> {
        let [matched, created, trial, what, via] = query;
        let result = AssignResult {
            matched: matched?.parse().ok()?,
            created: created?.parse().ok()?,
            dry_run: trial? == "true",
            key_result: what == Some("kr"),
            from_template: via == Some("template"),
        };
        (result.place() == place).then_some(result)
    }

    /// Which forms of the cycles page it answers.
    pub fn place(&self) -> AssignPlace {
        match (self.from_template, self.key_result) {
            (true, _) => AssignPlace::Templates,
            (false, true) => AssignPlace::KeyResult,
            (false, false) => AssignPlace::Product,
        }
    }
}

/// The forms of the cycles page an assignment's answer shows beside.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AssignPlace {
    Product,
    KeyResult,
    Templates,
}

/// A saved template of work, as the cycles page lists it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TemplateRow {
    pub id: i64,
    pub version: i32,
    pub unit_code: String,
    pub unit_name: String,
    /// Empty: every job position.
    pub job_position: String,
    pub work: crate::domain::template::TemplateWork,
}

/// The page uploading work from a file: the columns each kind takes, and the upload shown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UploadPage {
    pub kinds: Vec<UploadKind>,
    pub run: Option<UploadRun>,
    /// The largest file taken, in megabytes.
    pub max_megabytes: u32,
}

/// A kind of file the page takes, with its columns' headers in the reader's language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UploadKind {
    pub kind: ImportKind,
    /// The kind's name in the reader's language.
    pub name: String,
    /// (header, required)
    pub columns: Vec<(String, bool)>,
}

/// An uploaded file and the report of its last run, its messages in the reader's language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UploadRun {
    pub id: i64,
    pub version: i32,
    pub file_name: String,
    /// The kind's name in the reader's language, when recognised.
    pub kind: Option<String>,
    pub rows: u32,
    pub committed: bool,
    /// Checked without error and not yet written: it can be written.
    pub writable: bool,
    /// Per entity, named in the reader's language.
    pub counts: Vec<(String, ImportCounts)>,
    /// (row, column, message); row 0 is the file as a whole.
    pub errors: Vec<(u32, String, String)>,
    /// How many errors there were (the first ones are listed).
    pub error_count: u32,
}
