# notebooks/notebooks.mk — each chapter woven into a notebook page, in Spanish
# and in English (notebooks/README.md):
#
#   make notebooks              out/notebooks/{es,en}/index.html and NN-name.html
#   make notebooks FORMAT=pdf   also NN-name.pdf beside each page (headless Chromium)
#   make notebook-chapterN      chapter N's two pages only
#   make readmes                write each chapter's README.md from its notebook.md
#
# A page is made in three steps, each a file: the chapter's figures drawn in
# the page's language (out/notebooks/LANG/NN-name/), the woven Markdown
# (LANG/NN-name.md: prose, code by name, the run's output, values from its
# summary.json) and pandoc's HTML (LANG/NN-name.html, MathML for formulas,
# highlighted code). The run is the chapter's own (out/NN-name/); make brings
# it up to date first, as `make` would.

NB_DIR   := out/notebooks
NB_LANGS := es en
WEAVE    := $(BUILD)/rel/bin/weave
WEAVE_SRCS := $(wildcard notebooks/weave*.c)
WEAVE_LIB  := $(filter-out notebooks/weave.c,$(WEAVE_SRCS))
# The chapters with a notebook.md, in order, as NN-name.
NB_PAGES := $(notdir $(patsubst %/notebook.md,%,$(sort $(wildcard chapters/*/notebook.md))))
TOOLS += $(WEAVE)

$(BUILD)/%/bin/weave: $(call objs,%,f64,$(WEAVE_SRCS) $(COMMON_SRCS))
	$(call link,$*)

# pandoc: Markdown with TeX mathematics to one standalone HTML page.
# --fail-if-warnings: a formula pandoc cannot turn into MathML is an error here.
PANDOC := pandoc --from markdown+tex_math_dollars-implicit_header_references --to html5 \
          --standalone --mathml --toc --toc-depth=2 --template notebooks/page.html --highlight-style tango \
          --wrap=none --fail-if-warnings

# A page may also show studies made for it with other flags (a chapter.mk
# names them: CHn_NB_RUNS := semillas, CHn_NB_semillas := --seeds 1-10 for
# the flags, CHn_NB_FIGS_semillas := the figures to draw from it). Each is a
# run of the chapter's program in out/notebooks/runs/NN-name-KEY/, a file
# like the chapter's own run: redone when the program or the flags changed.
NB_RUNS := $(NB_DIR)/runs

# $(call nb_extra_run,N,NN-name,KEY)
define nb_extra_run
NB_CMD_$(2)_$(3) = $$(BIN_chapter$(1)) --out $(NB_RUNS)/$(2)-$(3) \
                   $$(if $$(CH$(1)_USES_DATA),--data $$(DATA_DIR)) $$(CH$(1)_NB_$(3))
$(NB_RUNS)/$(2)-$(3)/.ajustes: FORCE
	$$(call settings_stamp,$$@,$$(NB_CMD_$(2)_$(3)))
$(NB_RUNS)/$(2)-$(3)/summary.json: $$(BIN_chapter$(1)) $(NB_RUNS)/$(2)-$(3)/.ajustes \
                                   $$(if $$(CH$(1)_USES_DATA),$$(DATA_DEPS))
	@echo '$$(strip $$(NB_CMD_$(2)_$(3)))'
	$$(call keep_output,$$(NB_CMD_$(2)_$(3)),$$(@D),>/dev/null)
endef

# $(call nb_extra_figures,NN-name,KEY,LANG,SCRIPTS) — one study's figures in LANG.
define nb_extra_figures
$(NB_DIR)/$(3)/$(1)-$(2)/.dibujadas: $(NB_RUNS)/$(1)-$(2)/summary.json $(4) | $(NB_DIR)/$(3)
	$$(call nb_draw,$(NB_RUNS)/$(1)-$(2),$$(@D),$(3),$(4))
endef

# $(call nb_draw,RUNDIR,FIGDIR,LANG,SCRIPTS) — the scripts' figures from a run, in PNG.
define nb_draw
	@rm -rf $(2) && mkdir -p $(2)
	$(call plot_each,$(1),$(2),png,$(3),$(4),)
	@echo "  figures $(2)/ ($(3))"
	@touch $(2)/.dibujadas
endef

# $(call nb_chapter,N,NN-name,LANG) — chapter N's page in LANG.
define nb_chapter
$(NB_DIR)/$(3)/$(2)/.dibujadas: $$(CH$(1)_BASE_OUT)/summary.json $$(CH$(1)_PLOTS) | $(NB_DIR)/$(3)
	$$(call nb_draw,$$(CH$(1)_BASE_OUT),$$(@D),$(3),$$(CH$(1)_PLOTS))

$$(foreach k,$$(CH$(1)_NB_RUNS),$$(eval $$(call nb_extra_figures,$(2),$$(k),$(3),$$(addprefix plots/,$$(addsuffix .gp,$$(CH$(1)_NB_FIGS_$$(k)))))))

$(NB_DIR)/$(3)/$(2).md: $$(CH$(1)_DIR)/notebook.md $(WEAVE) $(NB_DIR)/$(3)/$(2)/.dibujadas \
                        $$(CH$(1)_BASE_OUT)/summary.json $$(wildcard $$(CH$(1)_DIR)/*.[ch] common/*.[ch]) \
                        $$(foreach k,$$(CH$(1)_NB_RUNS),$(NB_RUNS)/$(2)-$$(k)/summary.json \
                          $$(if $$(CH$(1)_NB_FIGS_$$(k)),$(NB_DIR)/$(3)/$(2)-$$(k)/.dibujadas))
	$(WEAVE) page --source $$< --lang $(3) --run $$(CH$(1)_BASE_OUT) \
	  --figures $(NB_DIR)/$(3)/$(2) --figure-link $(2) \
	  $$(foreach k,$$(CH$(1)_NB_RUNS),--extra $$(k),$(NB_RUNS)/$(2)-$$(k),$(NB_DIR)/$(3)/$(2)-$$(k),$(2)-$$(k)) \
	  --out $$@

NB_HTML += $(NB_DIR)/$(3)/$(2).html
notebook-chapter$(1): $(NB_DIR)/$(3)/$(2).html $(if $(filter pdf,$(FORMAT)),$(NB_DIR)/$(3)/$(2).pdf)
endef

$(foreach n,1 2 3 4,$(foreach p,$(filter 0$(n)-%,$(NB_PAGES)),\
  $(foreach k,$(CH$(n)_NB_RUNS),$(eval $(call nb_extra_run,$(n),$(p),$(k)))) \
  $(foreach l,$(NB_LANGS),$(eval $(call nb_chapter,$(n),$(p),$(l))))))

# notebook-chapterN checks the pages it wove, as `make notebooks` does.
$(foreach n,1 2 3 4,$(eval notebook-chapter$(n): ; @$$(WEAVE) check $$(filter %.html,$$^)))

$(foreach l,$(NB_LANGS),$(NB_DIR)/$(l)):
	@mkdir -p $@

# The index: notebooks/index.md, woven with no run behind it.
$(NB_DIR)/%/index.md: notebooks/index.md $(WEAVE) | $(NB_DIR)/%
	$(WEAVE) page --source $< --lang $* --figures $(NB_DIR)/$* --figure-link . --out $@
NB_HTML += $(foreach l,$(NB_LANGS),$(NB_DIR)/$(l)/index.html)

# Every page of a language links to the same page in the other one, to the
# index, and to the chapters before and after it. Accents (the hat of ŷ) are
# marked not stretchy: Chromium otherwise leaves some of them undrawn.
$(NB_DIR)/%.html: $(NB_DIR)/%.md notebooks/page.html notebooks/notebooks.mk
	@lang=$(firstword $(subst /, ,$*)); page=$(notdir $*); \
	  case $$lang in es) other=en; idx='Índice'; oth='English'; prev='Anterior'; next='Siguiente';; \
	                 *) other=es; idx='Contents'; oth='Español'; prev='Previous'; next='Next';; esac; \
	  pages="$(NB_PAGES)"; p=""; n=""; found=""; \
	  for x in $$pages; do if [ -n "$$found" ] && [ -z "$$n" ]; then n=$$x; fi; \
	    if [ "$$x" = "$$page" ]; then found=1; elif [ -z "$$found" ]; then p=$$x; fi; done; \
	  $(PANDOC) -M lang=$$lang -V other-link="../$$other/$$page.html" -V other-label="$$oth" \
	    -V index-label="$$idx" $${p:+-V prev-link="$$p.html" -V prev-label="$$prev"} \
	    $${n:+-V next-link="$$n.html" -V next-label="$$next"} \
	    $$( [ "$$page" = index ] && echo -V is-index=1 ) -o $@.tmp $< \
	  && sed -i 's/<mo accent="true">/<mo accent="true" stretchy="false">/g' $@.tmp \
	  && mv $@.tmp $@ || { rm -f $@.tmp; exit 1; }
	@echo "  page    $@"

# FORMAT=pdf: each page printed by headless Chromium, as a handout.
CHROMIUM ?= chromium
$(NB_DIR)/%.pdf: $(NB_DIR)/%.html
	@command -v $(CHROMIUM) >/dev/null || { echo "FORMAT=pdf prints the pages with Chromium: apt-get install chromium" >&2; exit 1; }
	@$(CHROMIUM) --headless --no-sandbox --disable-gpu --no-pdf-header-footer \
	  --print-to-pdf=$(abspath $@).tmp file://$(abspath $<) >/dev/null 2>&1 \
	  && mv $@.tmp $@ || { rm -f $@.tmp; echo "Chromium could not print $<" >&2; exit 1; }
	@echo "  pdf     $@"

NB_PDF := $(if $(filter pdf,$(FORMAT)),$(NB_HTML:.html=.pdf))

.PHONY: notebooks notebooks-check readmes $(foreach n,1 2 3 4,notebook-chapter$(n))
notebooks: check-deps $(NB_HTML) $(NB_PDF)
	@$(WEAVE) check $(NB_HTML)
	@echo "notebooks: open $(NB_DIR)/es/index.html (English: $(NB_DIR)/en/index.html)"

# The chapter READMEs are woven from the same source (a test compares them).
readmes: $(WEAVE)
	@for p in $(NB_PAGES); do \
	  $(WEAVE) readme --source chapters/$$p/notebook.md --page $$p --out chapters/$$p/README.md \
	  && echo "  readme  chapters/$$p/README.md"; done

# The weaver's tests and the woven pages' (tests/test_weave.c): `make test`
# weaves the pages first.
TESTS += test_weave
$(eval $(call test_rule,test_weave,f64,$(WEAVE_LIB)))
$(BUILD)/%/tests/test_weave.o: EXTRA_CFLAGS += -Inotebooks
