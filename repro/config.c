/*
 * config.c: the experiment's configuration and its work groups.
 */
#include "vdl_git_rev.h" /* VDL_GIT_REV, written by git_rev.cmake at every build */
#include "vdl_repro.h"

#include <stdio.h>
#include <string.h>

int repro_config_make(repro_config *c, const char *preset, int quick)
{
    static const double grid[4] = {0.1, 1, 10, 100};
    int k, paper;
    memset(c, 0, sizeof *c);
    if (strcmp(preset, "default") != 0 && strcmp(preset, "paper") != 0)
        return vdl_set_error(VDL_EINVAL, "unknown preset '%s' (use default or paper)", preset);
    paper = strcmp(preset, "paper") == 0;
    c->preset = paper ? "paper" : "default";
    c->quick = quick != 0;
    c->epochs = quick ? 2 : 25;
    c->seeds = quick ? 2 : 5;
    c->n_lambdas = 4;
    memcpy(c->lambdas, grid, sizeof grid);
    c->evidence_samples = quick ? 1 : 3;
    c->mc_samples = quick ? 3 : 10;
    c->dense = 1;
    for (k = 0; k < 3; k++) {
        c->model[k] = paper ? vdl_model_paper((vdl_model_kind)k) : vdl_model_defaults((vdl_model_kind)k);
        c->train[k] = paper ? vdl_train_paper((vdl_model_kind)k) : vdl_train_defaults((vdl_model_kind)k);
    }
    return VDL_OK;
}

/* Per seed: c+d, e+f, then a and b for every lambda. */
static int per_seed(const repro_config *c) { return 2 + 2 * c->n_lambdas; }

int repro_groups(const repro_config *c) { return c->seeds * per_seed(c); }

void repro_group_parts(const repro_config *c, int g, char *method, int *lambda_index, int *seed)
{
    int r = g % per_seed(c);
    *seed = 1 + g / per_seed(c);
    *lambda_index = r < 2 ? -1 : (r - 2) / 2;
    *method = r == 0 ? 'c' : r == 1 ? 'e' : ((r - 2) % 2 == 0 ? 'a' : 'b');
}

int repro_settings(const repro_config *c, vdl_wbuf *out)
{
    static const char *kinds[3] = {"direct", "linear", "lowrank"};
    char line[512];
    int k, l;
    snprintf(line, sizeof line,
             "vdl %s (git %s)\n%spreset %s\nepochs %d\nseeds %d\nlambdas", VDL_VERSION,
#ifdef VDL_GIT_REV
             VDL_GIT_REV,
#else
             "unknown",
#endif
             c->quick ? "QUICK: a small version, not the paper's setting\n" : "", c->preset, c->epochs, c->seeds);
    vdl_wbuf_bytes(out, line, strlen(line));
    for (l = 0; l < c->n_lambdas; l++) {
        snprintf(line, sizeof line, " %g", c->lambdas[l]);
        vdl_wbuf_bytes(out, line, strlen(line));
    }
    snprintf(line, sizeof line, "\nevidence samples %d\nmc samples %d\ndense grid %d\n", c->evidence_samples,
             c->mc_samples, c->dense ? REPRO_DENSE : 0);
    vdl_wbuf_bytes(out, line, strlen(line));
    for (k = 0; k < 3; k++) {
        const vdl_train_config *t = &c->train[k];
        const vdl_model_config *m = &c->model[k];
        snprintf(line, sizeof line,
                 "%s: layers %d-%d-%d, batch %d, %s lr %g momentum %g, clip %g, prior variance %g, "
                 "lambda draws %d, log sigma init %g, low-rank hidden %d, rank %d, %s means, %s log sigmas, "
                 "lambda weight %g, rank scale %g, factor lr %g\n",
                 kinds[k], m->arch.size[0], m->arch.size[1], m->arch.size[2], t->batch,
                 t->optim == VDL_ADAM ? "adam" : "sgd", t->lr, t->momentum, t->clip_value,
                 t->prior_sigma * t->prior_sigma, t->lambda_draws, m->init_log_sigma, m->hyper_hidden,
                 m->hyper_rank, m->multiplicative_means ? "multiplicative" : "additive",
                 m->multiplicative_log_sigmas ? "multiplicative" : "additive", m->lambda_weight, m->rank_scale,
                 m->factor_lr_scale);
        vdl_wbuf_bytes(out, line, strlen(line));
    }
    return out->failed ? VDL_ENOMEM : VDL_OK;
}
