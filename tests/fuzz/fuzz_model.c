/* fuzz_model.c - libFuzzer target: the model-file parser (wn_model_parse,
 * internal).  A model that parses is evaluated on a few feature vectors,
 * so tree indices and feature numbers the parser accepted are used, and
 * its word weights score the input itself as a block's text. */
#include <stdint.h>
#include <stdlib.h>

#include "model.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Results go here so the compiler cannot drop the reads. */
volatile double fuzz_sink;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	wn_model m = {0};
	winnow_error err;

	if (wn_model_parse(&m, "fuzz.model", (const char *)data, size,
			   &err) == 0) {
		/* Heap vectors of exactly the sizes the classifier passes, so
		 * a tree reading a feature past them is caught. */
		double *f1 = malloc(WN_NFEAT1 * sizeof *f1);
		double *f2 = malloc(WN_NFEAT2 * sizeof *f2);
		if (!f1 || !f2)
			abort();
		for (int k = 0; k < 3; k++) {
			double v = k == 0 ? 0.0 : k == 1 ? 1e9 : -1e9;
			for (size_t i = 0; i < WN_NFEAT1; i++)
				f1[i] = v;
			for (size_t i = 0; i < WN_NFEAT2; i++)
				f2[i] = v;
			fuzz_sink += wn_stage_prob(&m.s1, f1, WN_NFEAT1);
			fuzz_sink += wn_stage_prob(&m.s2, f2, WN_NFEAT2);
		}
		free(f1);
		free(f2);
		fuzz_sink += wn_lexicon_score(&m.lex, (const char *)data, size);
	}
	wn_model_free(&m);
	return 0;
}
