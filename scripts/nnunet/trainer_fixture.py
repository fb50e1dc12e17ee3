"""nnU-Net trainer for the medseg test fixtures: nnU-Net's own training loop, shortened and made
repeatable on a CPU.

make-fixtures.sh copies this file into the installed nnunetv2/training/nnUNetTrainer/variants/
tree, because nnU-Net finds trainers by class name there, both in nnUNetv2_train and when the
predictor rebuilds the network from checkpoint['trainer_name'].
Everything else (network, loss, augmentation, sampling, checkpoint format) is nnUNetTrainer's.
"""
import random

import numpy as np
import torch

from nnunetv2.training.nnUNetTrainer.nnUNetTrainer import nnUNetTrainer

SEED = 20260


def seed_everything(seed: int) -> None:
    random.seed(seed)
    np.random.seed(seed)  # nnUNetDataLoader and batchgenerators(v2) draw from numpy's global RNG
    torch.manual_seed(seed)


class nnUNetTrainer_Fixture(nnUNetTrainer):
    def __init__(self, plans: dict, configuration: str, fold: int, dataset_json: dict,
                 device: torch.device = torch.device('cuda')):
        # nnUNetv2_train -device cpu sets as many threads as cores; one thread keeps float sums in one order
        torch.set_num_threads(1)
        torch.use_deterministic_algorithms(True)
        super().__init__(plans, configuration, fold, dataset_json, device)
        # 400 iterations (2.5 min for a 3D fold on one core): enough for most folds to segment something,
        # so the fixture masks are not all background (README.md lists which folds still are)
        self.num_epochs = 16
        if configuration == '3d_lowres':
            # at 400 iterations the lowres fixture still labelled only background (pseudo Dice 0 in every
            # epoch), which would leave its masks proving nothing; its images are small (~1 min per 400)
            self.num_epochs = 48
        self.num_iterations_per_epoch = 25
        self.num_val_iterations_per_epoch = 3

    def on_train_start(self):
        # seeded here, not in __init__, so network initialisation and the first batches see the same
        # RNG state whatever the constructor did; the fold shifts the seed so folds differ
        seed_everything(SEED + (0 if self.fold == 'all' else int(self.fold)))
        super().on_train_start()

