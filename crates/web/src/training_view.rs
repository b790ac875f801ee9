//! The classifier panel, for files that label their own rows (a flow CSV's `Label`
//! column): train a classifier on the labels, read its figures on held-out rows beside
//! what the detectors found without training, and keep it to score other flow files.

use crate::analysis_state::AnalysisState;
use crate::model_actions::{ModelFileActions, ModelProblem};
use crate::runner::Runner;
use leptos::prelude::*;
use loglens_core::figures::group_thousands;
use loglens_core::supervised::TrainedClassifier;

fn measure(value: Option<f64>) -> String {
    value.map_or_else(|| "n/a".to_owned(), |v| format!("{v:.3}"))
}

#[component]
pub fn TrainingView(
    state: RwSignal<AnalysisState>,
    runner: StoredValue<Runner, LocalStorage>,
) -> impl IntoView {
    let slot = runner.with_value(|r| r.classifier);
    let trained = runner.with_value(|r| r.trained);
    let labelled = move || state.with(|s| s.report().is_some_and(|r| !r.labels.is_empty()));
    let shown = move || labelled() || slot.kept.with(Option::is_some);
    let can_train = move || {
        labelled()
            && state.with(|s| matches!(s, AnalysisState::Done { .. }))
            && runner.with_value(Runner::has_input)
            && !slot.busy.get()
    };
    let status = move || {
        if slot.busy.get() {
            return "Training a classifier on this file's labels…".to_owned();
        }
        slot.kept.with(|kept| match kept {
            None => "No classifier: this file labels its rows, so one can be trained on them."
                .to_owned(),
            Some(model) => model.summary.clone(),
        })
    };
    view! {
        <Show when=shown>
            <section class="model-panel" data-testid="classifier" aria-labelledby="classifier-title">
                <h2 id="classifier-title" class="visually-hidden">"Classifier"</h2>
                <p class="model-status" data-testid="classifier-status" aria-live="polite">{status}</p>
                <div class="model-actions">
                    <button
                        type="button"
                        class="button small"
                        data-testid="classifier-train"
                        title="Read this file again, train a classifier on 70% of each label and measure it on the rest"
                        disabled=move || !can_train()
                        on:click=move |_| runner.with_value(Runner::train_classifier)
                    >
                        "Train a classifier on these labels"
                    </button>
                    <ModelFileActions of=slot runner=runner use_label="Score flows with it" load_label="Load a classifier…" />
                </div>
                <ModelProblem of=slot />
                {move || trained.get().map(|outcome| match outcome {
                    Ok(trained) => figures(&trained).into_any(),
                    Err(why) => view! {
                        <p class="model-problem" role="alert" data-testid="classifier-train-problem">
                            {format!("No classifier could be trained: {why}.")}
                        </p>
                    }
                    .into_any(),
                })}
            </section>
        </Show>
    }
}

/// The held-out figures, the confusion matrix and recall per label.
fn figures(trained: &TrainedClassifier) -> impl IntoView + use<> {
    let m = trained.holdout.clone();
    let without = trained.detectors_without_training;
    let labels = trained
        .per_label
        .iter()
        .map(|label| {
            view! {
                <tr data-testid="classifier-label">
                    <th scope="row">{label.label.clone()}</th>
                    <td>{label.rows}</td>
                    <td>{label.called_attack}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <div class="training-figures" data-testid="classifier-figures">
            <p class="note">
                {format!(
                    "{} labelled flows; trained on {} sampled rows, measured on {} held out (30% of each label).",
                    group_thousands(trained.rows_seen),
                    group_thousands(trained.train_rows),
                    group_thousands(trained.test_rows)
                )}
            </p>
            <table class="figures">
                <thead>
                    <tr><th></th><th scope="col">"Precision"</th><th scope="col">"Recall"</th><th scope="col">"F1"</th><th scope="col">"ROC-AUC"</th></tr>
                </thead>
                <tbody>
                    <tr data-testid="classifier-holdout">
                        <th scope="row">"Classifier, held-out rows"</th>
                        <td>{measure(m.precision())}</td>
                        <td>{measure(m.recall())}</td>
                        <td>{measure(m.f1())}</td>
                        <td>{measure(m.roc_auc)}</td>
                    </tr>
                    {without.map(|scores| view! {
                        <tr data-testid="classifier-without-training">
                            <th scope="row">"Detectors, no training (every line)"</th>
                            <td>{measure(scores.precision())}</td>
                            <td>{measure(scores.recall())}</td>
                            <td>{measure(scores.f1())}</td>
                            <td>"n/a"</td>
                        </tr>
                    })}
                </tbody>
            </table>
            <table class="figures confusion" data-testid="classifier-confusion">
                <caption>"Confusion matrix, held-out rows"</caption>
                <thead>
                    <tr><th></th><th scope="col">"Called attack"</th><th scope="col">"Called benign"</th></tr>
                </thead>
                <tbody>
                    <tr><th scope="row">"Attack"</th><td data-testid="confusion-tp">{m.true_positives}</td><td data-testid="confusion-fn">{m.false_negatives}</td></tr>
                    <tr><th scope="row">"Benign"</th><td data-testid="confusion-fp">{m.false_positives}</td><td data-testid="confusion-tn">{m.true_negatives}</td></tr>
                </tbody>
            </table>
            <table class="figures">
                <thead>
                    <tr><th scope="col">"Label"</th><th scope="col">"Held out"</th><th scope="col">"Called attack"</th></tr>
                </thead>
                <tbody>{labels}</tbody>
            </table>
        </div>
    }
}
