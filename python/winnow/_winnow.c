/* _winnow.c - the CPython extension over libwinnow.
 *
 * A Cleaner owns one rule set (read-only once built, so shared by every
 * thread) and a small pool of C cleaners: a winnow_cleaner serves one
 * thread at a time, so a call takes one from the pool (or makes one from
 * the shared rules, which is cheap), cleans with the GIL released, and
 * gives it back.  The pool is guarded by its own lock rather than by
 * the GIL, so nothing here relies on the GIL for the C state.
 *
 * Errors: winnow_error becomes OSError (WINNOW_ERR_IO) or ValueError
 * (malformed rules, bad option), with winnow's file:line and message. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include <errno.h>
#include <string.h>

#include "winnow.h"

/* C cleaners kept per mode; a burst of more threads makes extra ones and
 * frees them on return, so the pool never holds more than this. */
#define POOL_MAX 16

enum { MODE_CLEAN, MODE_EXPLAIN, NMODES };

typedef struct {
	PyObject_HEAD
	winnow_rules *rules;
	winnow_options opts;  /* opts.lang points into lang */
	char *lang;
	PyThread_type_lock lock; /* guards pool and npool */
	winnow_cleaner *pool[NMODES][POOL_MAX];
	int npool[NMODES];
} CleanerObject;

static PyTypeObject *block_type; /* winnow.Block, a struct sequence */

/* ---- errors ---------------------------------------------------------- */

/* winnow reports I/O errors as strerror(errno); finding the number again
 * lets Python pick the subclass (FileNotFoundError...) and set filename. */
static int errno_of(const char *msg)
{
	for (int e = 1; e < 200; e++)
		if (!strcmp(msg, strerror(e)))
			return e;
	return 0;
}

static PyObject *raise_winnow(const winnow_error *err)
{
	if (err->code == WINNOW_ERR_IO) {
		int e = errno_of(err->msg);
		if (e) { /* FileNotFoundError..., filename set ('' too) */
			errno = e;
			return PyErr_SetFromErrnoWithFilename(PyExc_OSError,
							      err->file);
		}
		/* an error of winnow's own ("not a regular file"): an
		 * OSError all the same, EINVAL, with its filename (it had
		 * none; a reviewer's find) */
		PyObject *fn = PyUnicode_DecodeFSDefault(err->file);
		PyObject *ex = fn ? PyObject_CallFunction(PyExc_OSError, "isO", EINVAL,
							  err->msg, fn) : NULL;
		Py_XDECREF(fn);
		if (ex) {
			PyErr_SetObject((PyObject *)Py_TYPE(ex), ex);
			Py_DECREF(ex);
		}
		return NULL;
	}
	if (err->file[0] && err->line)
		return PyErr_Format(PyExc_ValueError, "%s:%zu: %s", err->file,
				    err->line, err->msg);
	if (err->file[0])
		return PyErr_Format(PyExc_ValueError, "%s: %s", err->file,
				    err->msg);
	return PyErr_Format(PyExc_ValueError, "%s", err->msg);
}

/* ---- the text argument ----------------------------------------------- */

/* A document as bytes.  An ASCII str is its own UTF-8 and is used in
 * place; another str is encoded into a temporary bytes object rather than
 * with PyUnicode_AsUTF8AndSize, which would keep a UTF-8 copy alive as
 * long as the str.  bytes are used in place; other bytes-like objects are
 * copied, since they may change while the GIL is released.  The caller's
 * argument tuple keeps the object alive during the call. */
typedef struct {
	const char *data;
	Py_ssize_t len;
	PyObject *owned; /* the temporary bytes or copy, or NULL */
} text_arg;

static int text_get(PyObject *o, text_arg *t)
{
	t->owned = NULL;
	if (PyUnicode_Check(o) && PyUnicode_IS_ASCII(o)) {
		t->data = PyUnicode_AsUTF8AndSize(o, &t->len);
		return t->data ? 0 : -1;
	}
	if (PyUnicode_Check(o)) {
		t->owned = PyUnicode_AsUTF8String(o);
		/* a lone surrogate (json.loads of "\ud800", text cut inside
		 * an emoji) has no UTF-8: it becomes U+FFFD, as the CLI reads
		 * one in JSONL, whose three bytes take its three (ED A0-BF
		 * 80-BF); the bytes object is new, not yet anyone else's */
		if (!t->owned && PyErr_ExceptionMatches(PyExc_UnicodeEncodeError)) {
			PyErr_Clear();
			t->owned = PyUnicode_AsEncodedString(o, "utf-8", "surrogatepass");
			if (t->owned) {
				unsigned char *b = (unsigned char *)PyBytes_AS_STRING(t->owned);
				Py_ssize_t n = PyBytes_GET_SIZE(t->owned);
				for (Py_ssize_t i = 0; i + 2 < n; i++)
					if (b[i] == 0xED && b[i + 1] >= 0xA0 && b[i + 1] <= 0xBF &&
					    (b[i + 2] & 0xC0) == 0x80) {
						b[i] = 0xEF, b[i + 1] = 0xBF, b[i + 2] = 0xBD;
						i += 2;
					}
			}
		}
	} else if (PyBytes_Check(o))
		t->owned = Py_NewRef(o);
	else if (PyObject_CheckBuffer(o))
		t->owned = PyBytes_FromObject(o);
	else
		PyErr_Format(PyExc_TypeError,
			     "text must be str or a bytes-like object, not %.100s",
			     Py_TYPE(o)->tp_name);
	if (!t->owned)
		return -1;
	t->data = PyBytes_AS_STRING(t->owned);
	t->len = PyBytes_GET_SIZE(t->owned);
	return 0;
}

/* ---- the pool -------------------------------------------------------- */

static winnow_cleaner *pool_take(CleanerObject *self, int mode)
{
	winnow_cleaner *c = NULL;
	PyThread_acquire_lock(self->lock, WAIT_LOCK);
	if (self->npool[mode] > 0)
		c = self->pool[mode][--self->npool[mode]];
	PyThread_release_lock(self->lock);
	if (c)
		return c;
	winnow_options o = self->opts;
	o.explain = mode == MODE_EXPLAIN;
	winnow_error err;
	c = winnow_cleaner_new(self->rules, &o, &err);
	if (!c)
		raise_winnow(&err);
	return c;
}

static void pool_give(CleanerObject *self, int mode, winnow_cleaner *c)
{
	PyThread_acquire_lock(self->lock, WAIT_LOCK);
	if (self->npool[mode] < POOL_MAX) {
		self->pool[mode][self->npool[mode]++] = c;
		c = NULL;
	}
	PyThread_release_lock(self->lock);
	winnow_cleaner_free(c);
}

/* Cleans text with a pooled cleaner of the given mode, the GIL released.
 * NULL with an exception set on failure. */
static winnow_result *run(CleanerObject *self, int mode, PyObject *text)
{
	text_arg t;
	if (text_get(text, &t))
		return NULL;
	winnow_cleaner *c = pool_take(self, mode);
	if (!c) {
		Py_XDECREF(t.owned);
		return NULL;
	}
	winnow_result *res;
	Py_BEGIN_ALLOW_THREADS
	res = winnow_clean(c, t.data, (size_t)t.len);
	Py_END_ALLOW_THREADS
	pool_give(self, mode, c);
	Py_XDECREF(t.owned);
	return res;
}

/* ---- Cleaner --------------------------------------------------------- */

/* Adds one path (str, bytes or os.PathLike) to the rules. */
static int add_rules_path(winnow_rules *r, PyObject *path)
{
	PyObject *fs = NULL;
	if (!PyUnicode_FSConverter(path, &fs))
		return -1;
	winnow_error err;
	int rc;
	Py_BEGIN_ALLOW_THREADS
	rc = winnow_rules_add_path(r, PyBytes_AS_STRING(fs), &err);
	Py_END_ALLOW_THREADS
	Py_DECREF(fs);
	if (rc)
		raise_winnow(&err);
	return rc;
}

static int is_path(PyObject *o)
{
	return PyUnicode_Check(o) || PyBytes_Check(o) ||
	       PyObject_HasAttrString(o, "__fspath__");
}

/* rules: None, a path, or an iterable of paths. */
static int add_rules(winnow_rules *r, PyObject *rules)
{
	if (rules == Py_None)
		return 0;
	if (is_path(rules))
		return add_rules_path(r, rules);
	PyObject *it = PyObject_GetIter(rules);
	if (!it) {
		PyErr_Format(PyExc_TypeError,
			     "rules must be a path or an iterable of paths, not %.100s",
			     Py_TYPE(rules)->tp_name);
		return -1;
	}
	PyObject *item;
	int rc = 0;
	while (!rc && (item = PyIter_Next(it))) {
		rc = add_rules_path(r, item);
		Py_DECREF(item);
	}
	Py_DECREF(it);
	return rc || PyErr_Occurred() ? -1 : 0;
}

static int load_rules(CleanerObject *self, PyObject *rules, int defaults)
{
	self->rules = winnow_rules_new();
	if (defaults) {
		winnow_error err;
		int rc;
		Py_BEGIN_ALLOW_THREADS
		rc = winnow_rules_add_defaults(self->rules, &err);
		Py_END_ALLOW_THREADS
		if (rc) {
			raise_winnow(&err);
			return -1;
		}
	}
	return add_rules(self->rules, rules);
}

static int set_options(CleanerObject *self, PyObject *html, int no_title,
		       const char *lang, int nfkc, int ascii_punct)
{
	winnow_options_init(&self->opts);
	if (html == Py_None) {
		self->opts.input = WINNOW_INPUT_AUTO;
	} else {
		int h = PyObject_IsTrue(html);
		if (h < 0)
			return -1;
		self->opts.input = h ? WINNOW_INPUT_HTML : WINNOW_INPUT_TEXT;
	}
	self->opts.no_title = no_title;
	self->opts.nfkc = nfkc;
	self->opts.ascii_punct = ascii_punct;
	if (lang) {
		size_t n = strlen(lang) + 1;
		self->lang = PyMem_Malloc(n);
		if (!self->lang) {
			PyErr_NoMemory();
			return -1;
		}
		memcpy(self->lang, lang, n);
		self->opts.lang = self->lang;
	}
	return 0;
}

static void Cleaner_dealloc(PyObject *o)
{
	CleanerObject *self = (CleanerObject *)o;
	for (int m = 0; m < NMODES; m++)
		while (self->npool[m] > 0)
			winnow_cleaner_free(self->pool[m][--self->npool[m]]);
	winnow_rules_free(self->rules); /* after its cleaners */
	PyMem_Free(self->lang);
	if (self->lock)
		PyThread_free_lock(self->lock);
	Py_TYPE(o)->tp_free(o);
}

/* A bool argument into *out; TypeError for anything else. */
static int flag(PyObject *o, const char *name, int *out)
{
	if (!PyBool_Check(o)) {
		PyErr_Format(PyExc_TypeError, "Cleaner() argument '%s' must be bool, "
			     "not %.50s", name, Py_TYPE(o)->tp_name);
		return -1;
	}
	*out = o == Py_True;
	return 0;
}

static PyObject *Cleaner_new(PyTypeObject *type, PyObject *args,
			     PyObject *kwds)
{
	static char *kwlist[] = {"rules", "default_rules", "html", "no_title",
				 "lang", "nfkc", "ascii_punct", NULL};
	PyObject *rules = Py_None, *html = Py_None, *lang_o = Py_None;
	PyObject *defaults_o = Py_True, *no_title_o = Py_False, *nfkc_o = Py_False,
		 *ascii_o = Py_False;
	if (!PyArg_ParseTupleAndKeywords(args, kwds, "|OO$OOOOO:Cleaner", kwlist,
					 &rules, &defaults_o, &html, &no_title_o,
					 &lang_o, &nfkc_o, &ascii_o))
		return NULL;
	/* by name, as the flags: "z" would say "argument 5" */
	if (lang_o != Py_None && !PyUnicode_Check(lang_o)) {
		PyErr_Format(PyExc_TypeError, "Cleaner() argument 'lang' must be "
			     "str or None, not %.50s", Py_TYPE(lang_o)->tp_name);
		return NULL;
	}
	Py_ssize_t lang_n = 0;
	const char *lang = lang_o == Py_None ? NULL : PyUnicode_AsUTF8AndSize(lang_o, &lang_n);
	if (lang_o != Py_None && !lang)
		return NULL;
	if (lang && strlen(lang) != (size_t)lang_n) {
		PyErr_SetString(PyExc_ValueError, "Cleaner() argument 'lang' holds a NUL character");
		return NULL;
	}
	/* flags are bools: nfkc="no" would otherwise mean True */
	int defaults, no_title, nfkc, ascii_punct;
	if (flag(defaults_o, "default_rules", &defaults) ||
	    flag(no_title_o, "no_title", &no_title) || flag(nfkc_o, "nfkc", &nfkc) ||
	    flag(ascii_o, "ascii_punct", &ascii_punct))
		return NULL;
	if (html != Py_None && !PyBool_Check(html)) {
		PyErr_Format(PyExc_TypeError, "Cleaner() argument 'html' must be "
			     "None or bool, not %.50s", Py_TYPE(html)->tp_name);
		return NULL;
	}
	CleanerObject *self = (CleanerObject *)type->tp_alloc(type, 0);
	if (!self)
		return NULL;
	self->lock = PyThread_allocate_lock();
	if (!self->lock) {
		PyErr_NoMemory();
		goto fail;
	}
	if (set_options(self, html, no_title, lang, nfkc, ascii_punct) ||
	    load_rules(self, rules, defaults))
		goto fail;
	/* a first cleaner now, so a bad lang fails here, not at first use */
	winnow_cleaner *c = pool_take(self, MODE_CLEAN);
	if (!c)
		goto fail;
	pool_give(self, MODE_CLEAN, c);
	return (PyObject *)self;
fail:
	Py_DECREF(self);
	return NULL;
}

static PyObject *Cleaner_clean(PyObject *o, PyObject *text)
{
	winnow_result *res = run((CleanerObject *)o, MODE_CLEAN, text);
	if (!res)
		return NULL;
	size_t n;
	const char *t = winnow_result_text(res, &n);
	PyObject *s = PyUnicode_DecodeUTF8(t, (Py_ssize_t)n, "strict");
	winnow_result_free(res);
	return s;
}

/* A reason or a path: a rules file's name in a reason is the file
 * system's bytes, which need not be UTF-8 ("nonutf/\xff.rules:1" raised
 * UnicodeDecodeError; a reviewer's find): as os.fsdecode reads them. */
static PyObject *str_or_none(const char *s)
{
	if (s)
		return PyUnicode_DecodeUTF8(s, (Py_ssize_t)strlen(s), "surrogateescape");
	Py_RETURN_NONE;
}

static PyObject *make_block(const winnow_block_info *b)
{
	PyObject *blk = PyStructSequence_New(block_type);
	if (!blk)
		return NULL;
	PyObject *v[] = {
		PyUnicode_DecodeUTF8(b->text, (Py_ssize_t)b->len, "strict"),
		PyBool_FromLong(b->kept),
		str_or_none(b->reason),
		PyLong_FromSize_t(b->line),
		b->score < 0 ? Py_NewRef(Py_None) : PyFloat_FromDouble(b->score),
		str_or_none(b->path),
	};
	int ok = 1;
	for (Py_ssize_t i = 0; i < (Py_ssize_t)(sizeof v / sizeof v[0]); i++) {
		if (!v[i])
			ok = 0;
		/* every slot is set, NULL included, so dealloc sees all */
		PyStructSequence_SetItem(blk, i, v[i]);
	}
	if (!ok) {
		Py_DECREF(blk);
		return NULL;
	}
	return blk;
}

static PyObject *Cleaner_explain(PyObject *o, PyObject *text)
{
	winnow_result *res = run((CleanerObject *)o, MODE_EXPLAIN, text);
	if (!res)
		return NULL;
	size_t n = winnow_result_block_count(res);
	PyObject *list = PyList_New((Py_ssize_t)n);
	for (size_t i = 0; list && i < n; i++) {
		winnow_block_info info;
		winnow_result_block(res, i, &info);
		PyObject *blk = make_block(&info);
		if (!blk)
			Py_CLEAR(list);
		else
			PyList_SET_ITEM(list, (Py_ssize_t)i, blk);
	}
	winnow_result_free(res);
	return list;
}

PyDoc_STRVAR(Cleaner_clean_doc,
"clean($self, text, /)\n--\n\n"
"Return the article in text, its boilerplate removed and its Unicode\n"
"repaired and normalized.\n\n"
"text is a str, or bytes (any bytes-like object) read as UTF-8: invalid\n"
"sequences are repaired (cp1252 where it fits, else U+FFFD), never an\n"
"error.  The result is a str ending in a newline unless empty.  The GIL\n"
"is released while cleaning, so threads sharing this Cleaner run in\n"
"parallel.");

PyDoc_STRVAR(Cleaner_explain_doc,
"explain($self, text, /)\n--\n\n"
"Clean text as clean() does and return every block's decision instead\n"
"of the text: a list of winnow.Block in input order (text, kept, reason,\n"
"line, score, path).");

static PyMethodDef Cleaner_methods[] = {
	{"clean", Cleaner_clean, METH_O, Cleaner_clean_doc},
	{"explain", Cleaner_explain, METH_O, Cleaner_explain_doc},
	{NULL, NULL, 0, NULL},
};

PyDoc_STRVAR(Cleaner_doc,
"Cleaner(rules=None, default_rules=True, *, html=None, no_title=False, "
"lang=None, nfkc=False, ascii_punct=False)\n--\n\n"
"A reusable, thread-safe cleaner: the rules are loaded once, then\n"
"clean() and explain() may be called from any number of threads.\n\n"
"rules: a path (str, bytes or os.PathLike) or an iterable of paths, each\n"
"  a rules file or a directory of *.rules files (with stop/LANG.txt\n"
"  stoplists and *.model), added after the built-in rules.\n"
"default_rules: False leaves the built-in rules, stoplists and model out.\n"
"html: None detects HTML pages, True reads HTML, False reads text (one\n"
"  block per line).\n"
"no_title: drop the headline.\n"
"lang: use this language's stoplist ('en', 'de'...) instead of detecting.\n"
"nfkc: NFKC instead of NFC.\n"
"ascii_punct: curly quotes, dashes and ellipsis to ASCII.\n\n"
"Raises OSError when a rules path cannot be read, ValueError for a\n"
"malformed rules file (the message names file:line) or an unknown lang,\n"
"TypeError for arguments of the wrong type.");

static PyTypeObject CleanerType = {
	PyVarObject_HEAD_INIT(NULL, 0)
	.tp_name = "winnow.Cleaner",
	.tp_basicsize = sizeof(CleanerObject),
	.tp_dealloc = Cleaner_dealloc,
	.tp_flags = Py_TPFLAGS_DEFAULT,
	.tp_doc = Cleaner_doc,
	.tp_methods = Cleaner_methods,
	.tp_new = Cleaner_new,
};

/* ---- Block ----------------------------------------------------------- */

static PyStructSequence_Field block_fields[] = {
	{"text", "the block as read (repaired UTF-8, not yet normalized)"},
	{"kept", "True when the block is part of the article"},
	{"reason", "what decided: a rule's 'file:line', a context pass, or "
		   "'classifier: model (p=...)'"},
	{"line", "the block's 1-based line in the input"},
	{"score", "the model's probability of article text, or None when a "
		  "rule or context pass decided"},
	{"path", "HTML input: the block's element path "
		 "('body>div.story>p'); None for text"},
	{NULL, NULL},
};

static PyStructSequence_Desc block_desc = {
	"winnow.Block",
	"One block of a document and winnow's decision on it, as returned by\n"
	"Cleaner.explain(): a named tuple (text, kept, reason, line, score,\n"
	"path).",
	block_fields,
	6,
};

/* ---- the module ------------------------------------------------------ */

PyDoc_STRVAR(module_doc,
"The C extension behind the winnow package; import winnow instead.");

static struct PyModuleDef winnow_module = {
	PyModuleDef_HEAD_INIT,
	.m_name = "winnow._winnow",
	.m_doc = module_doc,
	.m_size = -1,
};

PyMODINIT_FUNC PyInit__winnow(void);

PyMODINIT_FUNC PyInit__winnow(void)
{
	if (PyType_Ready(&CleanerType) < 0)
		return NULL;
	if (!block_type) {
		block_type = PyStructSequence_NewType(&block_desc);
		if (!block_type)
			return NULL;
	}
	PyObject *m = PyModule_Create(&winnow_module);
	if (!m)
		return NULL;
	if (PyModule_AddObjectRef(m, "Cleaner", (PyObject *)&CleanerType) ||
	    PyModule_AddObjectRef(m, "Block", (PyObject *)block_type) ||
	    PyModule_AddStringConstant(m, "__version__", winnow_version())) {
		Py_DECREF(m);
		return NULL;
	}
	return m;
}
