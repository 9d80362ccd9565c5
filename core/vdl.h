/*
 * vdl.h: the one header a user includes. vdl is a tape-based reverse-mode
 * autodiff engine for variational deep learning; see README.md and docs/.
 */
#ifndef VDL_H
#define VDL_H

#include "vdl_base.h"
#include "vdl_tensor.h"
#include "vdl_arena.h"
#include "vdl_rng.h"
#include "vdl_op.h"
#include "vdl_tape.h"
#include "vdl_params.h"
#include "vdl_optim.h"
#include "vdl_gemm.h"
#include "vdl_sparse.h"
#include "vdl_math.h"
#include "vdl_parallel.h"
#include "vdl_gradcheck.h"
#include "vdl_io.h"
#include "vdl_ops.h"
#include "vdl_plugin.h"

#endif
