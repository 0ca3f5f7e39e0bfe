# R synthpop with its defaults (CART for every column after the first, which is sampled),
# for bench/anchors.py. Categorical columns with more than MAX_LEVELS levels are left out
# (synthpop's CART is very slow on them); their names are printed as "left out: ...".
#
#   Rscript bench/anchors_synthpop.R TRAIN.csv OUT.csv MAX_LEVELS SEED
options(scipen = 100)  # whole numbers written as 18000000, not 1.8e+07
args <- commandArgs(trailingOnly = TRUE)
train <- read.csv(args[1], stringsAsFactors = TRUE, check.names = FALSE,
                  na.strings = c("", "NA"))
max_levels <- as.integer(args[3])
seed <- as.integer(args[4])
many <- vapply(train, function(x) is.factor(x) && nlevels(x) > max_levels, logical(1))
kept <- train[, !many, drop = FALSE]
cat("left out:", paste(names(train)[many], collapse = ","), "\n")
original <- names(kept)
names(kept) <- make.names(original, unique = TRUE)  # synthpop builds formulas from names
suppressMessages(library(synthpop))
fit <- syn(kept, k = nrow(kept), seed = seed, print.flag = FALSE)
out <- fit$syn
names(out) <- original
write.csv(out, args[2], row.names = FALSE, na = "")
