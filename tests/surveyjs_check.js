// Loads a SurveyJS survey JSON with survey-core (tests/package.json) and prints what the
// library made of it, for tests/test_exports.py: every question's name, type, page and
// choices; with an answers file, the results as SurveyJS gives them (survey.data), one
// object per respondent, after setting each answer through the model.
// usage: node surveyjs_check.js SURVEY.json [ANSWERS.json]
"use strict";
const fs = require("fs");
const { Model } = require("survey-core");

const json = JSON.parse(fs.readFileSync(process.argv[2], "utf8"));
const survey = new Model(json);
const out = {
  pages: survey.pages.map((p) => p.name),
  questions: survey.getAllQuestions().map((q) => ({
    name: q.name,
    type: q.getType(),
    page: q.page ? q.page.name : null,
    title: q.title,
    choices: q.rateValues ? q.rateValues.map((v) => v.value) : null,
  })),
  jsonErrors: (survey.jsonErrors || []).map((e) => String(e.message || e)),
};
if (process.argv[3]) {
  const rows = JSON.parse(fs.readFileSync(process.argv[3], "utf8"));
  out.results = rows.map((answers) => {
    const s = new Model(json);
    for (const [name, value] of Object.entries(answers)) {
      // Answered through the question, as a respondent would: a name the survey does not
      // have, or a value that is not one of a rating's choices, is a failed export.
      const question = s.getQuestionByName(name);
      if (!question) throw new Error(`no question named ${name}`);
      if (question.rateValues && !question.rateValues.some((v) => v.value === value)) {
        throw new Error(`${JSON.stringify(value)} is not a choice of ${name}`);
      }
      question.value = value;
    }
    return s.data;
  });
}
process.stdout.write(JSON.stringify(out));
