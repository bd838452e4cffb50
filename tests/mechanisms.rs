//! Minimal pairs, one group per detection mechanism: a draft and one controlled change that
//! flips the verdict (or must not). A rule that decides by mechanism gets every pair right;
//! one that decides by a phrase only one draft contains gets half of them wrong.

use std::sync::LazyLock;

use womlint::document::Document;
use womlint::lint::lint;
use womlint::rules::{Profile, RuleSet, RuleSetBuilder, builtin_sources};

static RULES: LazyLock<RuleSet> = LazyLock::new(|| {
    RuleSetBuilder::with_sources(Profile::Union, builtin_sources()).build().expect("the built-in packs build")
});

/// The rules that fire at `warning` or above on `text`, as `principle/rule` ids.
fn fired(text: &str) -> Vec<String> {
    let doc = Document::parse("pair.md".to_owned(), text.to_owned());
    lint(&doc, &RULES)
        .into_iter()
        .filter(|f| f.severity != womlint::rules::Severity::Info)
        .map(|f| f.rule.to_string())
        .collect()
}

/// A pair: `flag` must fire a rule of `principle`, `pass` must fire nothing at all.
struct Pair {
    mechanism: &'static str,
    principle: &'static str,
    flag: &'static str,
    pass: &'static str,
}

const PAIRS: &[Pair] = &[
    // Negation reaches back within its clause, in both languages.
    Pair {
        mechanism: "negation",
        principle: "relationship",
        flag: "Three weeks with this serum ✨ @glowco sent me the full set and my skin is calm.",
        pass: "Three weeks with this serum ✨ nobody sent me the full set, I bought it, and my skin is calm.",
    },
    Pair {
        mechanism: "negation",
        principle: "relationship",
        flag: "Tre settimane con questo siero ✨ @lumiskin me l'ha mandato e la pelle è calma.",
        pass: "Tre settimane con questo siero ✨ nessuno me l'ha mandato, la pelle è calma.",
    },
    Pair {
        mechanism: "negation stops at the clause",
        principle: "relationship",
        flag: "Not an ad, but @glowco kindly sent me the set and it's lovely.",
        pass: "Not an ad: I bought the set myself and it's lovely.",
    },
    // A gift label covers the gift, not a commission.
    Pair {
        mechanism: "label coverage",
        principle: "relationship",
        flag: "Gifted by @glowco 💛 the barrier serum is a dream. Use my code GLOW15 for 15% off!",
        pass: "Gifted by @glowco 💛 the barrier serum is a dream, no strings attached.",
    },
    Pair {
        mechanism: "label coverage",
        principle: "relationship",
        flag: "Prodotto inviato da @pennelli 🎨 con il codice GIULIA10 avete il 10% di sconto!",
        pass: "Pubblicità | Prodotto inviato da @pennelli 🎨 con il codice GIULIA10 avete il 10% di sconto!",
    },
    // Word forms: the passive and other verbs of giving.
    Pair {
        mechanism: "word forms",
        principle: "relationship",
        flag: "Night oil update 🌙 P.S. this bottle was sent over by the @dewdrop team 💌",
        pass: "Night oil update 🌙 P.S. this bottle was bought at the @dewdrop shop 💌",
    },
    Pair {
        mechanism: "word forms",
        principle: "relationship",
        flag: "Mi è arrivato a sorpresa da @lumiskin il nuovo siero notte 🌙 texture leggerissima!",
        pass: "Ho comprato da @lumiskin il nuovo siero notte 🌙 texture leggerissima!",
    },
    Pair {
        mechanism: "word forms",
        principle: "relationship",
        flag: "Weekend viziata da @aquaterme 🧖‍♀️ percorso SPA e colazione in camera.",
        pass: "Weekend prenotato su @aquaterme 🧖‍♀️ percorso SPA e colazione in camera.",
    },
    // Placement: a clear label after the fold of the platform is buried.
    Pair {
        mechanism: "placement",
        principle: "relationship",
        flag: "---\nplatform: tiktok\n---\nDietitian here 👩‍⚕️ let's talk about those aspartame headlines: the hazard category is the same as aloe vera, and an adult would need a LOT of cans a day to reach the limit.\n#dietitian #nutrition #aspartame #mythbusting #ad",
        pass: "---\nplatform: tiktok\n---\n#ad Dietitian here 👩‍⚕️ let's talk about those aspartame headlines: the hazard category is the same as aloe vera, and an adult would need a LOT of cans a day to reach the limit.\n#dietitian #nutrition #aspartame #mythbusting",
    },
    Pair {
        mechanism: "placement without a platform",
        principle: "relationship",
        flag: "Time spent eating my bodyweight in the kitchen! That's a wrap for Qatar, been great filming behind the scenes and meeting so many locals!\n#VisitQatar\n#ad",
        pass: "#ad Time spent eating my bodyweight in the kitchen! That's a wrap for Qatar, been great filming behind the scenes and meeting so many locals!\n#VisitQatar",
    },
    // Label form: a label disguised to dodge filters is no label.
    Pair {
        mechanism: "disguised label",
        principle: "relationship",
        flag: "#a_d new drop from @glowco, obsessed 😍",
        pass: "#ad new drop from @glowco, obsessed 😍",
    },
    Pair {
        mechanism: "what a reader sees",
        principle: "relationship",
        flag: "\u{202E}#ad\u{202C} @glowco kindly sent me this serum",
        pass: "#ad @glowco kindly sent me this serum",
    },
    // Use versus mention: someone else's words, reported.
    Pair {
        mechanism: "reported speech",
        principle: "relationship",
        flag: "Obsessed with this serum! Use code JEN70 for 70% off! @haircybele",
        pass: "The ruling quoted the post. Her caption read: \"Obsessed with this serum! Use code JEN70 for 70% off! @haircybele\" and the ASA upheld the complaint.",
    },
    Pair {
        mechanism: "reported speech",
        principle: "relationship",
        flag: "@lumiskin mi ha regalato questa crema e la adoro 💕",
        pass: "Nel provvedimento si legge il testo del post. L'influencer ha scritto: «@lumiskin mi ha regalato questa crema e la adoro»",
    },
    // Proximity: the reward must go with the review request.
    Pair {
        mechanism: "within",
        principle: "opinion",
        flag: "Loved your order? Leave us a review on Google and get 10% off your next visit!",
        pass: "Loved your order? Leave us a review on Google, it really helps a small shop like ours. We read every single one of them, good or bad, and answer them all by hand on Fridays when the shop is quiet, usually with a cup of tea in hand and the radio on in the back room. This month we also repainted the front, fixed the wobbly shelf by the door and finally hung the sign.\n\nSpring sale: 10% off all candles until Sunday.",
    },
    Pair {
        mechanism: "negated reward",
        principle: "opinion",
        flag: "Lascia una recensione sul nostro sito e ricevi un buono sconto del 10%.",
        pass: "Lascia una recensione sul nostro sito: non c'è nessun premio, ci aiuti e basta.",
    },
    // Who speaks: staff writing as a customer.
    Pair {
        mechanism: "who speaks",
        principle: "identity",
        flag: "---\nauthor_role: employee\n---\n★★★★★ Best pizza in town! We went on Saturday with the kids and will be back.",
        pass: "---\nauthor_role: employee\n---\n★★★★★ I work at Vesuvio, so I'm biased: we went on Saturday with the kids and will be back.",
    },
    Pair {
        mechanism: "front-matter connection",
        principle: "relationship",
        flag: "---\nrelationship: [founder]\n---\nObsessed with this bikini 🌊 found it by chance on TikTok!",
        pass: "---\nrelationship: [founder]\n---\nMy own brand's new bikini 🌊 three years in the making.",
    },
    // Typical results: a stated average qualifies a dramatic claim.
    Pair {
        mechanism: "typical results",
        principle: "opinion",
        flag: "I lost 30 lbs in 12 weeks on the plan! *Results not typical.",
        pass: "I lost 30 lbs in 12 weeks on the plan! Members lose an average of 6 lbs in 12 weeks.",
    },
    Pair {
        mechanism: "figures in words",
        principle: "opinion",
        flag: "Ragazze, ho perso dieci chili in un mese con le capsule 🌿",
        pass: "Ragazze, ho perso dieci minuti a cercare le capsule 🌿",
    },
    // A result is a claim in copy that sells; the same figure in a diary is a story.
    Pair {
        mechanism: "commercial context",
        principle: "opinion",
        flag: "I lost 40 lbs in 3 months with the FitNest plan! Link in bio 💪",
        pass: "Update for the group: I lost 40 lbs in 3 months by walking every day and cooking at home.",
    },
    // A phrase set off in quotation marks is talked about.
    Pair {
        mechanism: "cited phrase",
        principle: "relationship",
        flag: "My tip for the week: use my code GLOW15 for 15% off the serum!",
        pass: "My tip for the week: ignore any post that says \"use my code\" and read the label instead.",
    },
    // Parody that says so.
    Pair {
        mechanism: "satire",
        principle: "relationship",
        flag: "Buongiorno! @rubinetto mi ha regalato l'acqua del rubinetto 💧 usate il mio codice NONNA10",
        pass: "(parodia) Buongiorno! @rubinetto mi ha regalato l'acqua del rubinetto 💧 usate il mio codice NONNA10 #satira",
    },
    // Identity: one testimonial, several signatures.
    Pair {
        mechanism: "multi-signed testimonial",
        principle: "identity",
        flag: "> «Finalmente dormo otto ore filate.»\n> — Giulia, Marco e Francesca, clienti",
        pass: "> «Finalmente dormo otto ore filate.»\n> — Giulia R., Padova",
    },
    // Identity: one testimonial under two names, and a review signed by staff.
    Pair {
        mechanism: "repeated testimonial",
        principle: "identity",
        flag: "## What our customers say\n\n\"We would like to thank everyone at Brightview, from the first visit to the completion of our orangery.\"\n— Mr & Mrs Holden, Blackburn\n\n\"We would like to thank everyone at Brightview, from the first visit to the completion of our conservatory.\"\n— Mr & Mrs Garside, Morecambe",
        pass: "## What our customers say\n\n\"We would like to thank everyone at Brightview, from the first visit to the completion of our orangery.\"\n— Mr & Mrs Holden, Blackburn\n\n\"Three weeks from the first dig to a finished room, and the fitters swept up every single evening.\"\n— Mr & Mrs Garside, Morecambe",
    },
    Pair {
        mechanism: "staff-signed review",
        principle: "identity",
        flag: "## Customer reviews ★★★★★ (collected by Trustpilot)\n\n**★★★★★ Finally a pan that doesn't warp**\nTwo months in and it gets better every time I cook in it.\nMarta, our head of customer care",
        pass: "## Customer reviews ★★★★★ (collected by Trustpilot)\n\n**★★★★★ Finally a pan that doesn't warp**\nTwo months in and it gets better every time I cook in it.\nMarta, Milano",
    },
    // Who speaks in a thread: each reply, opened by its byline, is its own author's post.
    Pair {
        mechanism: "replies in a thread",
        principle: "opinion",
        flag: "Gifted by @glowco: the whole set arrived today 💛\nNot sponsored though, I just love this serum.",
        pass: "u/mara · 2y ago\nGifted by @glowco: the whole set arrived today 💛\n\nu/daisy · 2y ago\nNot sponsored though, I just love this serum.",
    },
    // Negation reaches only as far as its list allows: a request forbidden, a request made.
    Pair {
        mechanism: "negation reach",
        principle: "opinion",
        flag: "You earn a $20 credit for every friend who orders. Don't forget to leave us a review on Google as well!",
        pass: "You earn a $20 credit for every friend who orders. Don't leave reviews as a condition of the credit: reviews are never part of it.",
    },
    // Who gives: a brand, even unnamed by a handle, or family and friends.
    Pair {
        mechanism: "personal giver",
        principle: "relationship",
        flag: "Seven winters in this merino base layer 🧦 @woolfell gifted me this one and there is still not a hole in it.",
        pass: "Seven winters in this merino base layer 🧦 my wife gifted me this one and there is still not a hole in it.",
    },
    Pair {
        mechanism: "personal giver, agent after the verb",
        principle: "relationship",
        flag: "Il frullatore mi è stato regalato dall'azienda a settembre e lo usiamo ogni mattina 🍓",
        pass: "Il frullatore mi è stato regalato da mia madre a settembre e lo usiamo ogni mattina 🍓",
    },
    // A negator that opens an idiom asks for the thing; a prohibition forbids it.
    Pair {
        mechanism: "negation idioms",
        principle: "opinion",
        flag: "Loved your visit? Don't forget to leave us a 5-star review in exchange for a free coffee!",
        pass: "Loved your visit? Don't offer anyone a free coffee in exchange for a 5-star review: we never do.",
    },
    // A clause that forbids a practice does not ask for it.
    Pair {
        mechanism: "prohibition",
        principle: "identity",
        flag: "- Ask relatives, friends or employees to comment or post reviews as happy customers.",
        pass: "- Do not ask relatives, friends or employees to comment or post reviews as happy customers.",
    },
    Pair {
        mechanism: "prohibition after the practice",
        principle: "opinion",
        flag: "Le recensioni a 5 stelle in cambio di uno sconto sono benvenute.",
        pass: "Le recensioni a 5 stelle in cambio di uno sconto sono vietate.",
    },
    // A quotation marked as a right or wrong example is shown, not said; an unquoted line after
    // the same mark is still the author's.
    Pair {
        mechanism: "example marker",
        principle: "relationship",
        flag: "✅ Non riesco più a farne a meno 😍 usate il mio codice GIULIA20 per il 20%",
        pass: "❌ *\"Non riesco più a farne a meno 😍 usate il mio codice GIULIA20 per il 20%\"*",
    },
    // A label at the start of a line is a label after an emoji too.
    Pair {
        mechanism: "label position after an emoji",
        principle: "relationship",
        flag: "---\nplatform: youtube\nsponsored: true\n---\n📢 In questo video parlo del mio corso.",
        pass: "---\nplatform: youtube\nsponsored: true\n---\n📢 Pubblicità – In questo video parlo del mio corso.",
    },
    // A titled page reads across its thematic breaks; captions do not.
    Pair {
        mechanism: "a break divides a page",
        principle: "opinion",
        flag: "# Best travel cards of 2026\n\nOur experts compared 40 cards. We are 100% independent: no card issuer pays us.\n\n---\n\nAdvertiser disclosure: we receive compensation from card issuers when you apply, which may affect the order of the cards.",
        pass: "Best travel cards of 2026\n\nOur experts compared 40 cards. We are 100% independent: no card issuer pays us.\n\n---\n\nAdvertiser disclosure: we receive compensation from card issuers when you apply, which may affect the order of the cards.",
    },
    // What the front matter declares outweighs what the words suggest.
    Pair {
        mechanism: "declared document kind",
        principle: "identity",
        flag: "---\ndoc_type: brief\n---\n# Influencer brief\n\n- The FTC disclaimer goes at the bottom of the description box, under \"Show more\".",
        pass: "---\ndoc_type: article\n---\n# What the FTC expects\n\nA brief that says the disclaimer goes at the bottom of the description box breaks the Guides.",
    },
];

#[test]
fn every_mechanism_pair_flips_the_verdict() {
    let mut wrong = Vec::new();
    for pair in PAIRS {
        let flagged = fired(pair.flag);
        if !flagged.iter().any(|rule| rule.starts_with(pair.principle)) {
            wrong
                .push(format!("{}: not flagged for {}: {:?} ({flagged:?})", pair.mechanism, pair.principle, pair.flag));
        }
        let passed = fired(pair.pass);
        if !passed.is_empty() {
            wrong.push(format!("{}: flagged: {:?} ({passed:?})", pair.mechanism, pair.pass));
        }
    }
    assert!(wrong.is_empty(), "{} of {} pairs wrong:\n{}", wrong.len(), PAIRS.len(), wrong.join("\n"));
}

/// Changes that must not flip the verdict: the same breach in other words, or a clean post
/// with a look-alike.
#[test]
fn changes_that_must_not_flip_the_verdict() {
    let still_flagged = [
        // The same gift in the active, the passive and a pronoun form.
        "@glowco sent me this serum and I love it",
        "This serum was sent to me by @glowco and I love it",
        "The serum @glowco sent me is lovely, and I love it",
        // The same code, in a gift-labelled post, in Italian.
        "Regalo di @saponeria 🧼 usate il codice SAPONE15 per il 15%!",
    ];
    for text in still_flagged {
        assert!(!fired(text).is_empty(), "not flagged: {text:?}");
    }
    let still_clean = [
        "#adventure time in the Dolomites 🏔️",
        "Ad aprile apre la nuova bottega, a due passi da casa.",
        "My sister sent me this photo of the new shop window, so pretty!",
        "Not sponsored: I bought it myself at Boots and nobody asked me to post.",
    ];
    for text in still_clean {
        assert!(fired(text).is_empty(), "flagged: {text:?}: {:?}", fired(text));
    }
}
